package dev.mkt;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Hours in the user's own time zone ({@link Contact#timezone()}) when nothing is delivered on the given
 * channels; an action due then waits until the quiet hours end, the user's morning. Immutable.
 *
 * <pre>{@code
 * QuietHours.between(LocalTime.of(21, 0), LocalTime.of(8, 0))          // email, 21:00-08:00 local
 * QuietHours.between(LocalTime.of(22, 0), LocalTime.of(7, 30)).channels("email", "sms")
 * }</pre>
 *
 * <p>The window may cross midnight. It applies to every priority: a {@link Priority#HIGH} email still waits for
 * the morning. On a daylight-saving gap the end moves forward with the clock.
 */
public final class QuietHours {
  /** The channels quiet hours cover unless told otherwise. */
  public static final Set<String> DEFAULT_CHANNELS = Set.of("email");

  private static final QuietHours NONE = new QuietHours(null, null, Set.of());

  private final LocalTime start;
  private final LocalTime end;
  private final Set<String> channels;

  private QuietHours(LocalTime start, LocalTime end, Set<String> channels) {
    this.start = start;
    this.end = end;
    this.channels = channels;
  }

  /** No quiet hours (the default). */
  public static QuietHours none() {
    return NONE;
  }

  /**
   * Quiet from {@code start} (inclusive) to {@code end} (exclusive), local time, on email.
   *
   * @throws IllegalArgumentException if start equals end
   */
  public static QuietHours between(LocalTime start, LocalTime end) {
    requireNonNull(start, "start");
    requireNonNull(end, "end");
    if (start.equals(end)) {
      throw new IllegalArgumentException("quiet hours start and end must differ, but both were " + start);
    }
    return new QuietHours(start, end, DEFAULT_CHANNELS);
  }

  /** The same hours on these channels (or channel families, e.g. {@code social}). */
  public QuietHours channels(String... channels) {
    if (start == null) {
      throw new IllegalStateException("QuietHours.none() has no channels");
    }
    if (channels.length == 0) {
      throw new IllegalArgumentException("quiet hours need at least one channel");
    }
    for (String c : channels) {
      if (c == null || c.isBlank()) {
        throw new IllegalArgumentException("quiet hours channel must not be blank, but was " + Arrays.toString(channels));
      }
    }
    return new QuietHours(start, end, Set.of(channels));
  }

  public boolean isNone() {
    return start == null;
  }

  public Optional<LocalTime> start() { return Optional.ofNullable(start); }

  public Optional<LocalTime> end() { return Optional.ofNullable(end); }

  public Set<String> channels() { return channels; }

  /** Whether the quiet hours cover this channel. */
  public boolean covers(String channel) {
    if (start == null) {
      return false;
    }
    for (String c : channels) {
      if (channel.equals(c) || channel.startsWith(c + ".")) {
        return true;
      }
    }
    return false;
  }

  /**
   * If {@code now} falls in the quiet hours of {@code zone}, the instant they end; empty otherwise (or if the
   * channel is not covered).
   */
  public Optional<Instant> deferUntil(String channel, Instant now, ZoneId zone) {
    if (!covers(channel)) {
      return Optional.empty();
    }
    ZonedDateTime local = now.atZone(zone);
    LocalTime t = local.toLocalTime();
    LocalDate d = local.toLocalDate();
    boolean crossesMidnight = start.isAfter(end);
    if (crossesMidnight) {
      if (!t.isBefore(start)) {                       // evening: ends tomorrow morning
        return Optional.of(ZonedDateTime.of(d.plusDays(1), end, zone).toInstant());
      }
      if (t.isBefore(end)) {                          // early morning: ends today
        return Optional.of(ZonedDateTime.of(d, end, zone).toInstant());
      }
      return Optional.empty();
    }
    if (!t.isBefore(start) && t.isBefore(end)) {
      return Optional.of(ZonedDateTime.of(d, end, zone).toInstant());
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return start == null ? "QuietHours{none}" : "QuietHours{" + start + "-" + end + " " + channels + '}';
  }
}
