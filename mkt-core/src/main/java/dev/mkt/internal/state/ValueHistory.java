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

  ValueHistory(int depth) {
    this.values = new Object[Math.min(depth, 4)];
  }

  ValueHistory(Object[] values, int size) {
    this.values = values;
    this.size = size;
  }

  void add(Object v, int depth) {
    if (size == depth) {
      System.arraycopy(values, 1, values, 0, size - 1);
      size--;
    }
    if (size == values.length) {
      values = java.util.Arrays.copyOf(values, Math.min(depth, Math.max(4, values.length * 2)));
    }
    values[size++] = v;
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
    int b = 16 + 16 + 4 * values.length;
    for (int i = 0; i < size; i++) {
      Object v = values[i];
      b += v instanceof String ? 40 + ((String) v).length() : v instanceof Double || v instanceof Long ? 16 : 0;
    }
    return b;
  }
}
