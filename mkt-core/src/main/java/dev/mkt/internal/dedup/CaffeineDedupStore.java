package dev.mkt.internal.dedup;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.mkt.spi.DedupStats;
import dev.mkt.spi.DedupStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link DedupStore}: a bounded Caffeine cache with {@code expireAfterWrite(window)}.
 *
 * <p>Each value is the key's own deadline on the cache's ticker, so a key marked with a shorter TTL (the engine
 * re-marks the keys of the last window with their remaining TTL after a restart) expires logically at its
 * deadline, and physically at the latest after the window. Fixed write-order expiry is cheaper than Caffeine's
 * variable expiry (no timer wheel), and maintenance runs on Caffeine's executor, off the producers' path.
 */
public final class CaffeineDedupStore implements DedupStore {
  private static final Logger log = LoggerFactory.getLogger(CaffeineDedupStore.class);
  private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final Cache<String, Long> cache;
  private final ConcurrentMap<String, Long> map;
  private final Ticker ticker;
  private final long maxKeys;
  private final long windowNanos;
  private final LongAdder marked = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder sizeEvictions = new LongAdder();
  private final LongAdder expirations = new LongAdder();
  private final AtomicLong lastWarnNanos = new AtomicLong(Long.MIN_VALUE / 2);

  /**
   * A store of at most {@code maxKeys} keys, each kept at most {@code window}.
   *
   * @param executor where Caffeine runs its maintenance; {@code null} for Caffeine's default (the common pool)
   */
  public CaffeineDedupStore(long maxKeys, Duration window, Clock clock, Executor executor) {
    if (maxKeys < 1) {
      throw new IllegalArgumentException("dedup maxKeys must be >= 1, but was " + maxKeys);
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("dedup window must be > 0, but was " + window);
    }
    this.maxKeys = maxKeys;
    this.windowNanos = window.toNanos();
    this.ticker = clock.equals(Clock.systemUTC()) || clock.equals(Clock.systemDefaultZone())
        ? Ticker.systemTicker() : () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
    Caffeine<Object, Object> b = Caffeine.newBuilder()
        .maximumSize(maxKeys)
        .expireAfterWrite(window)
        .ticker(ticker);
    if (executor != null) {
      b.executor(executor);
    }
    this.cache = b.evictionListener((String key, Long v, RemovalCause cause) -> onEviction(cause)).build();
    this.map = cache.asMap();
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
    if (ttlNanos <= 0 || ttlNanos > windowNanos) {
      throw new IllegalArgumentException("dedup ttl must be in (0, " + Duration.ofNanos(windowNanos)
          + "], but was " + ttl);
    }
    long now = ticker.read();
    Long deadline = now + ttlNanos;
    Long prev = map.putIfAbsent(key, deadline);
    if (prev == null || (prev - now <= 0 && map.replace(key, prev, deadline))) {
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
    Long deadline = cache.getIfPresent(key);
    return deadline != null && deadline - ticker.read() > 0;
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
