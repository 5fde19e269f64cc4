package dev.mkt.internal.dedup;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.mkt.spi.DedupStats;
import dev.mkt.spi.DedupStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link DedupStore}: a bounded Caffeine cache whose entries expire a per-key TTL after they were
 * written. The value is the TTL in nanoseconds, read by the {@link Expiry}.
 */
public final class CaffeineDedupStore implements DedupStore {
  private static final Logger log = LoggerFactory.getLogger(CaffeineDedupStore.class);
  private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final Cache<String, Long> cache;
  private final Ticker ticker;
  private final long maxKeys;
  private final LongAdder marked = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder sizeEvictions = new LongAdder();
  private final LongAdder expirations = new LongAdder();
  private final AtomicLong lastWarnNanos = new AtomicLong(Long.MIN_VALUE / 2);

  public CaffeineDedupStore(long maxKeys, Clock clock) {
    if (maxKeys < 1) {
      throw new IllegalArgumentException("dedup maxKeys must be >= 1, but was " + maxKeys);
    }
    this.maxKeys = maxKeys;
    this.ticker = clock.equals(Clock.systemUTC()) || clock.equals(Clock.systemDefaultZone())
        ? Ticker.systemTicker() : () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
    this.cache = Caffeine.newBuilder()
        .maximumSize(maxKeys)
        .ticker(ticker)
        .executor(Runnable::run)
        .expireAfter(new Expiry<String, Long>() {
          @Override
          public long expireAfterCreate(String key, Long ttlNanos, long currentTime) {
            return ttlNanos;
          }

          @Override
          public long expireAfterUpdate(String key, Long ttlNanos, long currentTime, long currentDuration) {
            return ttlNanos;
          }

          @Override
          public long expireAfterRead(String key, Long ttlNanos, long currentTime, long currentDuration) {
            return currentDuration;
          }
        })
        .evictionListener((String key, Long v, RemovalCause cause) -> onEviction(cause))
        .build();
  }

  private void onEviction(RemovalCause cause) {
    if (cause == RemovalCause.SIZE) {
      sizeEvictions.increment();
      long now = System.nanoTime();
      long last = lastWarnNanos.get();
      if (now - last > WARN_EVERY_NANOS && lastWarnNanos.compareAndSet(last, now)) {
        log.warn("dedup store is full ({} keys): keys are evicted before their window ends, so late duplicates "
            + "can get through ({} so far). Raise the maximum or use a Redis/JDBC dedup store.", maxKeys,
            sizeEvictions.sum());
      }
    } else if (cause == RemovalCause.EXPIRED) {
      expirations.increment();
    }
  }

  @Override
  public boolean markIfAbsent(String key, Duration ttl) {
    long ttlNanos = ttl.toNanos();
    if (ttlNanos <= 0) {
      throw new IllegalArgumentException("dedup ttl must be > 0, but was " + ttl);
    }
    Long prev = cache.asMap().putIfAbsent(key, ttlNanos);
    if (prev == null) {
      marked.increment();
      return true;
    }
    duplicates.increment();
    return false;
  }

  @Override
  public void unmark(String key) {
    cache.invalidate(key);
  }

  @Override
  public boolean contains(String key) {
    return cache.getIfPresent(key) != null;
  }

  @Override
  public DedupStats stats() {
    return new DedupStats(cache.estimatedSize(), marked.sum(), duplicates.sum(), sizeEvictions.sum(),
        expirations.sum());
  }

  /** Runs pending maintenance (evictions, expirations) now; for tests and stats. */
  public void cleanUp() {
    cache.cleanUp();
  }

  @Override
  public void close() {
    cache.invalidateAll();
  }
}
