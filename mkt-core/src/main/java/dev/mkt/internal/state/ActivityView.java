package dev.mkt.internal.state;

import dev.mkt.Activity;
import dev.mkt.ActivitySpec;
import dev.mkt.EventTypes;
import dev.mkt.MarketingEvent;
import dev.mkt.internal.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link Activity} over a {@link UserState} as of one event (after the event was recorded). */
public final class ActivityView implements Activity {
  private final UserState state;
  private final MarketingEvent event;
  private final long now;
  private final ActivitySpec spec;

  public ActivityView(UserState state, MarketingEvent event, ActivitySpec spec) {
    this.state = state;
    this.event = event;
    this.spec = spec;
    this.now = event.timestamp().toEpochMilli();
  }

  @Override
  public Instant now() {
    return event.timestamp();
  }

  @Override
  public int count(String type, Duration window) {
    return count(type, window.toMillis());
  }

  // The String forms are what DRL constraints call (count("feature_usage", "24h") > 5), for every event that
  // reaches the pattern: parse each window text once (a constraint passes the same literal instance each time).
  @Override
  public int count(String type, String window) {
    return count(type, windowMillis(window));
  }

  private int count(String type, long windowMillis) {
    TimestampRing r = ringOrFail(type);
    return r == null ? 0 : r.count(now, windowMillis, false, 0);
  }

  @Override
  public int previousCount(String type, String window) {
    return previousCount(type, windowMillis(window));
  }

  @Override
  public int previousCount(String type, Duration window) {
    return previousCount(type, window.toMillis());
  }

  private int previousCount(String type, long windowMillis) {
    TimestampRing r = ringOrFail(type);
    if (r == null) {
      return 0;
    }
    boolean current = event.type().equals(type);
    long prev = current ? r.previousProcessed : r.lastProcessed;
    if (prev == Long.MIN_VALUE) {
      return 0;
    }
    return r.count(prev, windowMillis, current, now);
  }

  /** The last window text and its length in ms; a racy read sees either the old or the new pair, both valid. */
  private static volatile ParsedWindow lastWindow = new ParsedWindow("", 0);

  private record ParsedWindow(String text, long millis) {}

  private static long windowMillis(String window) {
    ParsedWindow w = lastWindow;
    if (w.text == window) {
      return w.millis;
    }
    long millis = Durations.parse(window).toMillis();
    lastWindow = new ParsedWindow(window, millis);
    return millis;
  }

  private TimestampRing ringOrFail(String type) {
    TimestampRing r = state.ring(type, false, 0);
    if (r == null && !tracked(spec, type, null)) {
      throw new IllegalStateException("activity count of '" + type + "' is not tracked; declare it in the "
          + "ActivitySpec (mkt-rules does this for literal activity.count(\"type\", \"window\") calls)");
    }
    return r;
  }

  /**
   * Whether the spec tracks the count of {@code type} ({@code field == null}) or the history of {@code type.field}.
   * A user without events of a type has no ring or history for it, and a constraint asks for every event; the last
   * positive answers are remembered by identity (a constraint passes the same literal instances each time).
   */
  private static boolean tracked(ActivitySpec spec, String type, String field) {
    Tracked[] known = TRACKED;
    for (Tracked k : known) {
      if (k != null && k.spec == spec && k.type == type && k.field == field) {
        return true;
      }
    }
    boolean t = field == null ? spec.counts().containsKey(type)
        : spec.histories().getOrDefault(type, java.util.Map.of()).containsKey(field);
    if (t) {
      known[trackedNext++ & (known.length - 1)] = new Tracked(spec, type, field); // racy, but entries are immutable
    }
    return t;
  }

  private record Tracked(ActivitySpec spec, String type, String field) {}

  private static final Tracked[] TRACKED = new Tracked[16];
  private static int trackedNext;

  @Override
  public Optional<Object> previous(String type, String field) {
    Object v = previousValue(type, field);
    return v == ValueHistory.ABSENT ? Optional.empty() : Optional.of(v);
  }

  @Override
  public double previousNumber(String type, String field, double ifAbsent) {
    // What DRL constraints call for every event that reaches the pattern: no Optional on this path.
    Object v = previousValue(type, field);
    return v instanceof Number ? ((Number) v).doubleValue() : ifAbsent;
  }

  /** The value before the current event's (the newest if this event is of another type), or ABSENT. */
  private Object previousValue(String type, String field) {
    ValueHistory h = historyOrFail(type, field);
    return h == null ? ValueHistory.ABSENT : h.newest(event.type().equals(type) ? 1 : 0);
  }

  @Override
  public List<Object> recent(String type, String field) {
    ValueHistory h = historyOrFail(type, field);
    return h == null ? List.of() : h.newestFirst(0);
  }

  @Override
  public int streakBelow(String type, String field, double threshold) {
    ValueHistory h = historyOrFail(type, field);
    if (h == null) {
      return 0;
    }
    return h.streakBelow(threshold);
  }

  private ValueHistory historyOrFail(String type, String field) {
    ValueHistory h = state.history(type, field, false, 0);
    if (h == null && !tracked(spec, type, field)) {
      throw new IllegalStateException("activity history of '" + type + "." + field + "' is not tracked; declare "
          + "it in the ActivitySpec (mkt-rules does this for literal activity.previous/recent/streakBelow calls)");
    }
    return h;
  }

  @Override
  public List<Object> recentSessionSeconds() {
    return recent(EventTypes.SESSION_DURATION, "seconds");
  }

  @Override
  public Instant firstSeen() {
    return Instant.ofEpochMilli(state.firstSeen);
  }

  @Override
  public Optional<Instant> lastSeen() {
    return state.previousSeen == Long.MIN_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(state.previousSeen));
  }

  @Override
  public String toString() {
    return "Activity{user=" + state.userId + ", now=" + event.timestamp() + '}';
  }
}
