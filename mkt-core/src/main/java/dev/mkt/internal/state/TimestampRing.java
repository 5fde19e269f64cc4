package dev.mkt.internal.state;

import java.util.Arrays;

/**
 * The last {@code capacity} timestamps (epoch ms) of one event type for one user, sorted ascending. Counts over
 * a window are exact while fewer than {@code capacity} events fall in it.
 */
final class TimestampRing {
  long[] times;
  int size;
  /** Time of the most recently processed event of the type (processing order), or Long.MIN_VALUE. */
  long lastProcessed = Long.MIN_VALUE;
  /** The same before the current event, for previousCount. */
  long previousProcessed = Long.MIN_VALUE;

  TimestampRing(int capacity) {
    this.times = new long[Math.min(capacity, 4)];
  }

  TimestampRing(long[] times, int size, long lastProcessed, long previousProcessed) {
    this.times = times;
    this.size = size;
    this.lastProcessed = lastProcessed;
    this.previousProcessed = previousProcessed;
  }

  void add(long t, int capacity) {
    if (size >= capacity) {
      // Full: forget the oldest. The newest capacity-1 stay, plus this one.
      System.arraycopy(times, 1, times, 0, size - 1);
      size--;
    }
    if (size == times.length) {
      times = Arrays.copyOf(times, Math.min(capacity, Math.max(4, times.length * 2)));
    }
    int i = size;
    while (i > 0 && times[i - 1] > t) {
      times[i] = times[i - 1];
      i--;
    }
    times[i] = t;
    size++;
    previousProcessed = lastProcessed;
    lastProcessed = t;
  }

  /** Entries in (now - window, now]; if {@code excludeOne}, one entry equal to {@code exclude} is not counted. */
  int count(long now, long window, boolean excludeOne, long exclude) {
    long from = now - window;
    int n = 0;
    boolean excluded = !excludeOne;
    for (int i = size - 1; i >= 0; i--) {
      long t = times[i];
      if (t <= from) {
        break;
      }
      if (t <= now) {
        if (!excluded && t == exclude) {
          excluded = true;
          continue;
        }
        n++;
      }
    }
    return n;
  }

  /** Drops entries at or before {@code cutoff}. */
  void expire(long cutoff) {
    int k = 0;
    while (k < size && times[k] <= cutoff) {
      k++;
    }
    if (k > 0) {
      System.arraycopy(times, k, times, 0, size - k);
      size -= k;
    }
  }

  int retainedBytes() {
    return 16 + 8 * times.length + 32;
  }
}
