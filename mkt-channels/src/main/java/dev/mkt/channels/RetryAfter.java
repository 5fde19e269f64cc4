package dev.mkt.channels;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Parses an HTTP {@code Retry-After} header: delay-seconds or an HTTP-date (RFC 9110 10.2.3). */
public final class RetryAfter {
  private RetryAfter() {}

  /** When to retry, relative to {@code now}; empty if the header is absent or unreadable. */
  public static Optional<Instant> parse(Optional<String> header, Instant now) {
    if (header.isEmpty()) {
      return Optional.empty();
    }
    String v = header.get().trim();
    try {
      long seconds = Long.parseLong(v);
      return seconds < 0 ? Optional.empty() : Optional.of(now.plusSeconds(Math.min(seconds, 86_400L * 7)));
    } catch (NumberFormatException e) {
      try {
        return Optional.of(ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
      } catch (DateTimeParseException ignored) {
        return Optional.empty();
      }
    }
  }
}
