package dev.mkt.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.test.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link DedupStore} passes. Extend it, implement {@link #create(MutableClock)} and, for
 * stores that keep their own time (Redis), override {@link #advance(Duration)}.
 */
public abstract class DedupStoreContract {
  protected MutableClock clock;
  protected DedupStore store;

  /** A fresh, empty store on {@code clock} (isolated from other tests: own key prefix/table). */
  protected abstract DedupStore create(MutableClock clock) throws Exception;

  /** Moves the store's notion of time forward. */
  protected void advance(Duration d) throws Exception {
    clock.advance(d);
  }

  @BeforeEach
  void open() throws Exception {
    clock = MutableClock.at("2026-11-28T10:00:00Z");
    store = create(clock);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void markIfAbsent_firstCallMarks_secondIsRefused() {
    assertThat(store.markIfAbsent("a", Duration.ofHours(1))).isTrue();
    assertThat(store.markIfAbsent("a", Duration.ofHours(1))).isFalse();
    assertThat(store.contains("a")).isTrue();
    assertThat(store.contains("b")).isFalse();
  }

  @Test
  void keysAreIndependent() {
    assertThat(store.markIfAbsent("a", Duration.ofHours(1))).isTrue();
    assertThat(store.markIfAbsent("b", Duration.ofHours(1))).isTrue();
    assertThat(store.markIfAbsent("A", Duration.ofHours(1))).isTrue();
  }

  @Test
  void markExpiresAfterItsTtl() throws Exception {
    assertThat(store.markIfAbsent("a", Duration.ofSeconds(10))).isTrue();
    advance(Duration.ofSeconds(9));
    assertThat(store.markIfAbsent("a", Duration.ofSeconds(10))).isFalse();
    advance(Duration.ofSeconds(2));
    assertThat(store.contains("a")).isFalse();
    assertThat(store.markIfAbsent("a", Duration.ofSeconds(10))).isTrue();
  }

  @Test
  void ttlIsPerKey() throws Exception {
    store.markIfAbsent("short", Duration.ofSeconds(5));
    store.markIfAbsent("long", Duration.ofSeconds(60));
    advance(Duration.ofSeconds(6));
    assertThat(store.contains("short")).isFalse();
    assertThat(store.contains("long")).isTrue();
  }

  @Test
  void refusedMarkDoesNotExtendTheTtl() throws Exception {
    store.markIfAbsent("a", Duration.ofSeconds(10));
    advance(Duration.ofSeconds(8));
    store.markIfAbsent("a", Duration.ofSeconds(10));
    advance(Duration.ofSeconds(3));
    assertThat(store.contains("a")).isFalse();
  }

  @Test
  void unmark_makesTheKeyMarkableAgain() {
    store.markIfAbsent("a", Duration.ofHours(1));
    store.unmark("a");
    assertThat(store.contains("a")).isFalse();
    assertThat(store.markIfAbsent("a", Duration.ofHours(1))).isTrue();
    store.unmark("never-marked");
  }

  @Test
  void concurrentMarksOfOneKey_exactlyOneWins() throws Exception {
    int threads = 8;
    for (int round = 0; round < 50; round++) {
      String key = "race-" + round;
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(pool.submit((Callable<Boolean>) () -> {
          start.await();
          return store.markIfAbsent(key, Duration.ofHours(1));
        }));
      }
      start.countDown();
      int wins = 0;
      for (Future<Boolean> f : results) {
        wins += f.get() ? 1 : 0;
      }
      pool.shutdown();
      pool.awaitTermination(10, TimeUnit.SECONDS);
      assertThat(wins).as("winners for %s", key).isEqualTo(1);
    }
  }

  @Test
  void stats_countMarksAndDuplicates() {
    store.markIfAbsent("a", Duration.ofHours(1));
    store.markIfAbsent("a", Duration.ofHours(1));
    store.markIfAbsent("b", Duration.ofHours(1));
    DedupStats s = store.stats();
    assertThat(s.marked()).isEqualTo(2);
    assertThat(s.duplicates()).isEqualTo(1);
  }
}
