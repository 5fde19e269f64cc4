package dev.mkt.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as founders write them: {@code 500ms}, {@code 30s}, {@code 15m}, {@code 24h}, {@code 2d}, {@code 1w}, or ISO-8601 {@code PT24H}. */
public final class Durations {
  private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d|w)");
  private static final ConcurrentHashMap<String, Duration> CACHE = new ConcurrentHashMap<>();

  private Durations() {}

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException naming the bad text
   */
  public static Duration parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("duration must be like 30s, 15m, 24h, 2d or PT24H, but was null");
    }
    Duration cached = CACHE.get(text);
    if (cached != null) {
      return cached;
    }
    Duration d = parseUncached(text);
    if (CACHE.size() < 1024) {
      CACHE.put(text, d);
    }
    return d;
  }

  private static Duration parseUncached(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = SIMPLE.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "ms": return Duration.ofMillis(n);
        case "s": return Duration.ofSeconds(n);
        case "m": return Duration.ofMinutes(n);
        case "h": return Duration.ofHours(n);
        case "d": return Duration.ofDays(n);
        default: return Duration.ofDays(7 * n);
      }
    }
    try {
      return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "duration must be like 30s, 15m, 24h, 2d or PT24H, but was '" + text + "'");
    }
  }

  /** The short form: {@code 24h}, {@code 90s}, {@code 1500ms}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000L == 0 && ms != 0) {
      return ms / 86_400_000L + "d";
    }
    if (ms % 3_600_000L == 0 && ms != 0) {
      return ms / 3_600_000L + "h";
    }
    if (ms % 60_000L == 0 && ms != 0) {
      return ms / 60_000L + "m";
    }
    if (ms % 1000L == 0) {
      return ms / 1000L + "s";
    }
    return ms + "ms";
  }
}
