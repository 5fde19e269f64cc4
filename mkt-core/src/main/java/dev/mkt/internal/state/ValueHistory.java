package dev.mkt.internal.state;

import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code depth} values of one payload field over events of one type, newest last. An event without the
 * field records {@link #ABSENT}.
 */
final class ValueHistory {
  static final Object ABSENT = new Object() {
    @Override
    public String toString() {
      return "ABSENT";
    }
  };

  Object[] values;
  int size;
  /**
   * The last {@link #streakBelow} answer and its threshold ({@code NaN}: none); {@link #add} forgets it. A rule's
   * {@code streakBelow} constraint is evaluated for every event of the user, while the history changes only with
   * events of its type: the answer then comes from this object instead of the values array and the boxed values.
   */
  private double streakThreshold = Double.NaN;
  private int streak;

  ValueHistory(int depth) {
    this.values = new Object[Math.min(depth, 4)];
  }

  ValueHistory(Object[] values, int size) {
    this.values = values;
    this.size = size;
  }

  void add(Object v, int depth) {
    streakThreshold = Double.NaN;
    if (size == depth) {
      System.arraycopy(values, 1, values, 0, size - 1);
      size--;
    }
    if (size == values.length) {
      values = java.util.Arrays.copyOf(values, Math.min(depth, Math.max(4, values.length * 2)));
    }
    values[size++] = v;
  }

  /** How many of the newest values, newest first, are numbers below {@code threshold}. */
  int streakBelow(double threshold) {
    if (threshold == streakThreshold) {
      return streak;
    }
    int n = 0;
    for (int i = 0; i < size; i++) {
      Object v = newest(i);
      if (v instanceof Number && ((Number) v).doubleValue() < threshold) {
        n++;
      } else {
        break;
      }
    }
    streak = n;
    streakThreshold = threshold;
    return n;
  }

  /** The i-th newest (0 = newest), or ABSENT. */
  Object newest(int i) {
    return i < size ? values[size - 1 - i] : ABSENT;
  }

  List<Object> newestFirst(int skip) {
    List<Object> out = new ArrayList<>(Math.max(0, size - skip));
    for (int i = size - 1 - skip; i >= 0; i--) {
      if (values[i] != ABSENT) {
        out.add(values[i]);
      }
    }
    return out;
  }

  int retainedBytes() {
    int b = 32 + 16 + 4 * values.length;
    for (int i = 0; i < size; i++) {
      Object v = values[i];
      b += v instanceof String ? 40 + ((String) v).length() : v instanceof Double || v instanceof Long ? 16 : 0;
    }
    return b;
  }
}
