package dev.mkt.spi;

import dev.mkt.internal.dedup.CaffeineDedupStore;
import java.time.Clock;
import java.time.Duration;

/**
 * Remembers event keys for a while, so the same event tracked twice is taken once.
 *
 * <p>Implementations are thread-safe. {@link #markIfAbsent} is atomic: of several concurrent callers with the
 * same key, exactly one gets {@code true}. Every implementation passes {@code DedupStoreContract}.
 */
public interface DedupStore extends AutoCloseable {

  /** The default maximum number of keys of {@link #inMemory()}. */
  long DEFAULT_MAX_KEYS = 1_000_000;

  /**
   * Marks {@code key} for {@code ttl} if it is not marked.
   *
   * @return {@code true} if this call marked it (first sighting), {@code false} if it was already marked
   */
  boolean markIfAbsent(String key, Duration ttl);

  /** Removes a mark, e.g. after the append it guarded failed. Absent keys are ignored. */
  void unmark(String key);

  /** Whether the key is marked and not expired. */
  boolean contains(String key);

  /**
   * Whether marks survive a restart of this process (Redis, JDBC). If not, the engine re-marks the keys of
   * the last window from the event log when it opens.
   */
  default boolean persistent() {
    return false;
  }

  /** Counters, for metrics and health. */
  DedupStats stats();

  @Override
  default void close() {}

  /** Caffeine-backed, bounded to {@link #DEFAULT_MAX_KEYS}, keys kept at most a day, on the system clock. */
  static DedupStore inMemory() {
    return inMemory(DEFAULT_MAX_KEYS, Duration.ofDays(1), Clock.systemUTC());
  }

  /**
   * Caffeine-backed, bounded to {@code maxKeys}; each key expires {@code ttl} after it was marked, and TTLs may
   * be at most {@code window}. Keys evicted early because of the size bound are counted in
   * {@link DedupStats#sizeEvictions()} and logged at WARN: if that number grows, duplicates older than the
   * eviction point get through. Size it for your rate: at 1,000 events/s a 1 h window holds 3.6 M keys.
   */
  static DedupStore inMemory(long maxKeys, Duration window, Clock clock) {
    return new CaffeineDedupStore(maxKeys, window, clock, null);
  }
}
