package dev.mkt.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.internal.dedup.CaffeineDedupStore;
import dev.mkt.test.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CaffeineDedupStoreTest extends DedupStoreContract {

  @Override
  protected DedupStore create(MutableClock clock) {
    return DedupStore.inMemory(10_000, Duration.ofHours(1), clock);
  }

  @Test
  void sizePressureEvictionsAreCountedAndVisible() {
    CaffeineDedupStore small = new CaffeineDedupStore(100, Duration.ofHours(1), clock, Runnable::run);
    for (int i = 0; i < 1_000; i++) {
      small.markIfAbsent("k" + i, Duration.ofHours(1));
    }
    small.cleanUp();
    DedupStats s = small.stats();
    assertThat(s.size()).isLessThanOrEqualTo(100);
    assertThat(s.sizeEvictions()).isGreaterThanOrEqualTo(900);
    assertThat(s.expirations()).isZero();
  }

  @Test
  void expirationsAreCountedSeparately() {
    CaffeineDedupStore s = new CaffeineDedupStore(100, Duration.ofSeconds(1), clock, Runnable::run);
    s.markIfAbsent("a", Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(2));
    s.cleanUp();
    assertThat(s.stats().expirations()).isEqualTo(1);
    assertThat(s.stats().sizeEvictions()).isZero();
  }

  @Test
  void aTtlLongerThanTheWindowIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.markIfAbsent("a", Duration.ofHours(2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT2H");
  }

  @Test
  void notPersistent_soTheEngineRebuildsFromTheLog() {
    assertThat(store.persistent()).isFalse();
  }
}
