package dev.mkt.internal.dispatch;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.event.RateLimiterOnFailureEvent;
import io.github.resilience4j.ratelimiter.event.RateLimiterOnSuccessEvent;
import io.github.resilience4j.ratelimiter.internal.RateLimiterEventProcessor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A resilience4j {@link RateLimiter} that never lets more than {@code limitForPeriod} permits into any sliding
 * window of {@code limitRefreshPeriod}, timed by a {@link Clock}, and seeded from the outbox's recent sends so a
 * restart does not hand out a fresh budget.
 *
 * <p>Why not resilience4j's own {@code AtomicRateLimiter}: it refills in fixed cycles (so up to twice the limit
 * can pass around a cycle boundary, breaking "500 per any hour"), reads {@code System.nanoTime} (so tests
 * cannot drive it with a clock, and quiet-hour/rate-limit tests would take hours), and starts full after a
 * restart. This one keeps the timestamps of the permits in the window (a ring that grows up to the limit) and
 * is exact. Through the resilience4j interface it still plugs into resilience4j's registry, events and
 * Micrometer metrics.
 *
 * <p>Non-blocking: the dispatcher never waits for a permit, it defers the action to {@link #nextAvailable}.
 */
final class SlidingWindowRateLimiter implements RateLimiter {
  private final String name;
  private volatile RateLimiterConfig config;
  private final Clock clock;
  private final long windowMillis;
  private final RateLimiterEventProcessor events = new RateLimiterEventProcessor();
  private long[] ring = new long[16];
  private int head;
  private int size;

  SlidingWindowRateLimiter(String name, int limit, Duration window, Clock clock) {
    this.name = name;
    this.clock = clock;
    this.windowMillis = window.toMillis();
    this.config = RateLimiterConfig.custom().limitForPeriod(limit).limitRefreshPeriod(window)
        .timeoutDuration(Duration.ZERO).build();
  }

  /** Records permits taken before this limiter existed (sends of a previous run). */
  synchronized void seed(List<Instant> taken) {
    for (Instant t : taken) {
      push(t.toEpochMilli());
    }
  }

  int limit() {
    return config.getLimitForPeriod();
  }

  Duration window() {
    return Duration.ofMillis(windowMillis);
  }

  /** Takes a permit now if one is free; returns the time it was taken at, or -1. */
  synchronized long tryAcquire() {
    long now = clock.millis();
    evict(now);
    if (size < limit()) {
      push(now);
      publish(true, 1);
      return now;
    }
    publish(false, 1);
    return -1;
  }

  /** When a permit will be free (now if one is). */
  synchronized Instant nextAvailable() {
    long now = clock.millis();
    evict(now);
    int excess = size - limit() + 1;
    if (excess <= 0) {
      return Instant.ofEpochMilli(now);
    }
    // The permit at index excess-1 (oldest first) must leave the window.
    return Instant.ofEpochMilli(get(excess - 1) + windowMillis);
  }

  /** Gives back a permit taken at {@code takenAt} that was not used (the delivery did not happen). */
  synchronized void release(long takenAt) {
    for (int i = size - 1; i >= 0; i--) {
      if (get(i) == takenAt) {
        for (int j = i; j < size - 1; j++) {
          ring[(head + j) % ring.length] = ring[(head + j + 1) % ring.length];
        }
        size--;
        return;
      }
    }
  }

  private void evict(long now) {
    long horizon = now - windowMillis; // a permit taken at t counts while t > now - window
    while (size > 0 && ring[head] <= horizon) {
      head = (head + 1) % ring.length;
      size--;
    }
  }

  private long get(int i) {
    return ring[(head + i) % ring.length];
  }

  private void push(long t) {
    if (size == ring.length) {
      long[] bigger = new long[Math.max(16, ring.length * 2)];
      for (int i = 0; i < size; i++) {
        bigger[i] = get(i);
      }
      ring = bigger;
      head = 0;
    }
    // Keep the ring sorted (seeds and clock ties may arrive out of order).
    int pos = size;
    while (pos > 0 && get(pos - 1) > t) {
      ring[(head + pos) % ring.length] = get(pos - 1);
      pos--;
    }
    ring[(head + pos) % ring.length] = t;
    size++;
  }

  private void publish(boolean ok, int permits) {
    if (!events.hasConsumers()) {
      return;
    }
    events.consumeEvent(ok ? new RateLimiterOnSuccessEvent(name, permits)
        : new RateLimiterOnFailureEvent(name, permits));
  }

  // ------------------------------------------------------------ resilience4j RateLimiter

  @Override
  public void changeTimeoutDuration(Duration timeoutDuration) {
    if (!timeoutDuration.isZero()) {
      throw new UnsupportedOperationException("the dispatcher's rate limiter never waits; it defers actions");
    }
  }

  @Override
  public synchronized void changeLimitForPeriod(int limitForPeriod) {
    config = RateLimiterConfig.from(config).limitForPeriod(limitForPeriod).build();
  }

  @Override
  public boolean acquirePermission(int permits) {
    if (permits != 1) {
      synchronized (this) {
        long now = clock.millis();
        evict(now);
        if (size + permits > limit()) {
          publish(false, permits);
          return false;
        }
        for (int i = 0; i < permits; i++) {
          push(now);
        }
        publish(true, permits);
        return true;
      }
    }
    return tryAcquire() >= 0;
  }

  @Override
  public long reservePermission(int permits) {
    return acquirePermission(permits) ? 0 : -1;
  }

  @Override
  public synchronized void drainPermissions() {
    long now = clock.millis();
    evict(now);
    while (size < limit()) {
      push(now);
    }
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public RateLimiterConfig getRateLimiterConfig() {
    return config;
  }

  @Override
  public Map<String, String> getTags() {
    return Map.of();
  }

  @Override
  public Metrics getMetrics() {
    return new Metrics() {
      @Override
      public int getNumberOfWaitingThreads() {
        return 0;
      }

      @Override
      public int getAvailablePermissions() {
        synchronized (SlidingWindowRateLimiter.this) {
          evict(clock.millis());
          return Math.max(0, limit() - size);
        }
      }
    };
  }

  @Override
  public EventPublisher getEventPublisher() {
    return events;
  }
}
