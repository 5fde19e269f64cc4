package dev.mkt;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which windowed facts the reactor keeps per user, so that {@link Activity} can answer the rules. The rule
 * engine declares it (mkt-rules derives it from the DRL); state stays bounded by it.
 *
 * <ul>
 *   <li>{@code count(type, window, capacity)}: a ring of the last {@code capacity} timestamps of events of
 *       {@code type}; counts over windows up to {@code window} are exact up to {@code capacity}.</li>
 *   <li>{@code history(type, field, depth)}: the last {@code depth} values of a payload field, for
 *       {@link Activity#previous}, {@link Activity#recent} and {@link Activity#streakBelow}.</li>
 * </ul>
 *
 * Several declarations for the same type (or field) merge to the largest window, capacity and depth.
 */
public final class ActivitySpec {
  /** Capacity of a count ring when none is given. */
  public static final int DEFAULT_COUNT_CAPACITY = 16;
  /** History depth when none is given. */
  public static final int DEFAULT_HISTORY_DEPTH = 8;
  /** The largest ring capacity or history depth; bounds per-user memory. */
  public static final int MAX_CAPACITY = 1024;

  private static final ActivitySpec EMPTY = new ActivitySpec(Map.of(), Map.of());

  /** How a type is counted. */
  public record Count(Duration window, int capacity) {}

  private final Map<String, Count> counts;
  private final Map<String, Map<String, Integer>> histories;

  private ActivitySpec(Map<String, Count> counts, Map<String, Map<String, Integer>> histories) {
    this.counts = counts;
    this.histories = histories;
  }

  /** Tracks nothing but first/last seen. */
  public static ActivitySpec empty() {
    return EMPTY;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Type → how it is counted. */
  public Map<String, Count> counts() { return counts; }

  /** Type → field → history depth. */
  public Map<String, Map<String, Integer>> histories() { return histories; }

  /** Types with a field history. */
  public Set<String> historyTypes() { return histories.keySet(); }

  /** The longest counting window; state older than it can be forgotten. Zero if nothing is counted. */
  public Duration longestWindow() {
    return counts.values().stream().map(Count::window).max(Duration::compareTo).orElse(Duration.ZERO);
  }

  /** A spec that tracks everything either spec tracks. */
  public ActivitySpec merge(ActivitySpec other) {
    Builder b = builder();
    for (ActivitySpec s : new ActivitySpec[] {this, other}) {
      s.counts.forEach((t, c) -> b.count(t, c.window(), c.capacity()));
      s.histories.forEach((t, fs) -> fs.forEach((f, d) -> b.history(t, f, d)));
    }
    return b.build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ActivitySpec && ((ActivitySpec) o).counts.equals(counts)
        && ((ActivitySpec) o).histories.equals(histories);
  }

  @Override
  public int hashCode() {
    return counts.hashCode() * 31 + histories.hashCode();
  }

  @Override
  public String toString() {
    return "ActivitySpec{counts=" + counts + ", histories=" + histories + '}';
  }

  /** Builds an {@link ActivitySpec}. */
  public static final class Builder {
    private final Map<String, Count> counts = new TreeMap<>();
    private final Map<String, Map<String, Integer>> histories = new TreeMap<>();

    private Builder() {}

    public Builder count(String type, Duration window) {
      return count(type, window, DEFAULT_COUNT_CAPACITY);
    }

    public Builder count(String type, Duration window, int capacity) {
      requireNonNull(type, "type");
      requireNonNull(window, "window");
      if (window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("count window for '" + type + "' must be > 0, but was " + window);
      }
      checkCapacity("count capacity for '" + type + "'", capacity);
      counts.merge(type, new Count(window, capacity), (a, b) -> new Count(
          a.window().compareTo(b.window()) >= 0 ? a.window() : b.window(), Math.max(a.capacity(), b.capacity())));
      return this;
    }

    public Builder history(String type, String field) {
      return history(type, field, DEFAULT_HISTORY_DEPTH);
    }

    public Builder history(String type, String field, int depth) {
      requireNonNull(type, "type");
      requireNonNull(field, "field");
      checkCapacity("history depth for '" + type + "." + field + "'", depth);
      histories.computeIfAbsent(type, t -> new TreeMap<>()).merge(field, depth, Math::max);
      return this;
    }

    private static void checkCapacity(String what, int n) {
      if (n < 1 || n > MAX_CAPACITY) {
        throw new IllegalArgumentException(what + " must be in [1, " + MAX_CAPACITY + "], but was " + n);
      }
    }

    public ActivitySpec build() {
      // Sorted iteration (deterministic), hash lookup (the reactor asks per event).
      Map<String, Map<String, Integer>> h = new LinkedHashMap<>();
      histories.forEach((t, fs) -> h.put(t, Collections.unmodifiableMap(new LinkedHashMap<>(fs))));
      return new ActivitySpec(Collections.unmodifiableMap(new LinkedHashMap<>(counts)),
          Collections.unmodifiableMap(h));
    }
  }
}
