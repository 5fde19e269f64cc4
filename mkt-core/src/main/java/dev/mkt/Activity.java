package dev.mkt;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Windowed facts about one user at the time of the current event, computed outside the rule engine from
 * bounded per-user state (see {@link ActivitySpec}). Rules see it as the {@code Activity} fact.
 *
 * <p>"Now" is the current event's timestamp (event time), so replays and backtests decide exactly as live
 * processing did. Counts are exact up to the capacity declared in the {@link ActivitySpec}; beyond it they
 * report the capacity (enough for "more than N" with N below the capacity).
 */
public interface Activity {

  /** The current event's timestamp. */
  Instant now();

  /**
   * Events of {@code type} with timestamps in {@code (now - window, now]}, including the current event.
   *
   * @throws IllegalStateException if {@code type} is not tracked for counting by the {@link ActivitySpec}
   */
  int count(String type, Duration window);

  /** As {@link #count(String, Duration)} with a window like {@code "24h"}, {@code "30m"}, {@code "7d"}. */
  default int count(String type, String window) {
    return count(type, dev.mkt.internal.Durations.parse(window));
  }

  /**
   * The same count as it was at the user's previous event of {@code type}: events in
   * {@code (prev - window, prev]}, where {@code prev} is that event's time. 0 if there was none. With
   * {@link #count}, this expresses threshold crossings: "exceeds 5 now, did not before".
   */
  int previousCount(String type, Duration window);

  default int previousCount(String type, String window) {
    return previousCount(type, dev.mkt.internal.Durations.parse(window));
  }

  /**
   * The value of a payload {@code field} at the user's previous event of {@code type} (before the current
   * one), if that event had it.
   *
   * @throws IllegalStateException if the field's history is not tracked by the {@link ActivitySpec}
   */
  Optional<Object> previous(String type, String field);

  /** {@link #previous} as a number; empty if absent or not a number. */
  default Optional<Double> previousNumber(String type, String field) {
    return previous(type, field).filter(Number.class::isInstance).map(v -> ((Number) v).doubleValue());
  }

  /**
   * {@link #previousNumber(String, String)} as a primitive, {@code ifAbsent} when absent or not a number. Rule
   * constraints compare primitives without boxing: {@code Activity( previousNumber("churn_signal", "score", 0) <= 0.8 )}.
   */
  default double previousNumber(String type, String field, double ifAbsent) {
    Object v = previous(type, field).orElse(null);
    return v instanceof Number ? ((Number) v).doubleValue() : ifAbsent;
  }

  /**
   * The most recent values of {@code field} on events of {@code type}, newest first, including the current
   * event's. At most the declared history depth.
   */
  List<Object> recent(String type, String field);

  /**
   * How many of the most recent events of {@code type}, newest first and including the current one, in an
   * unbroken run, have a numeric {@code field} below {@code threshold}. "The 3rd consecutive short session"
   * is {@code streakBelow("session_duration", "seconds", 30) == 3}. Exact up to the history depth.
   */
  int streakBelow(String type, String field, double threshold);

  /** The durations (seconds) of the user's most recent sessions, newest first, if tracked. */
  default List<Object> recentSessionSeconds() {
    return recent(EventTypes.SESSION_DURATION, "seconds");
  }

  /** When mkt first saw this user (event time). */
  Instant firstSeen();

  /** The time of the user's event before the current one, or empty for the first event. */
  Optional<Instant> lastSeen();
}
