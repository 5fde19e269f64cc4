package dev.mkt.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.test.MutableClock;
import io.github.resilience4j.ratelimiter.RateLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SlidingWindowRateLimiterTest {
  final MutableClock clock = MutableClock.at("2025-03-03T12:00:00Z");

  @Test
  void neverAdmitsMoreThanTheLimitInAnySlidingWindow_evenAcrossACycleBoundary() {
    SlidingWindowRateLimiter l = new SlidingWindowRateLimiter("email", 500, Duration.ofHours(1), clock);
    List<Instant> admitted = new ArrayList<>();
    // Demand of one per second for five hours: a fixed-window limiter would let 1000 through around each boundary.
    for (int s = 0; s < 5 * 3600; s++) {
      if (l.tryAcquire() >= 0) {
        admitted.add(clock.instant());
      }
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(admitted).hasSizeBetween(2000, 2500);
    for (int i = 0; i + 500 < admitted.size(); i++) {
      assertThat(Duration.between(admitted.get(i), admitted.get(i + 500))).isGreaterThanOrEqualTo(Duration.ofHours(1));
    }
  }

  @Test
  void nextAvailable_isWhenTheOldestPermitLeavesTheWindow() {
    SlidingWindowRateLimiter l = new SlidingWindowRateLimiter("email", 2, Duration.ofHours(1), clock);
    Instant t0 = clock.instant();
    l.tryAcquire();
    clock.advance(Duration.ofMinutes(10));
    l.tryAcquire();
    assertThat(l.tryAcquire()).isNegative();
    assertThat(l.nextAvailable()).isEqualTo(t0.plus(Duration.ofHours(1)));
    clock.set(t0.plus(Duration.ofHours(1)));
    assertThat(l.tryAcquire()).isNotNegative();
  }

  @Test
  void aReleasedPermit_isFreeAgain() {
    SlidingWindowRateLimiter l = new SlidingWindowRateLimiter("email", 1, Duration.ofHours(1), clock);
    long taken = l.tryAcquire();
    assertThat(l.tryAcquire()).isNegative();
    l.release(taken);
    assertThat(l.tryAcquire()).isNotNegative();
  }

  @Test
  void seededSends_countAgainstTheLimit_soARestartGetsNoFreshBudget() {
    SlidingWindowRateLimiter l = new SlidingWindowRateLimiter("email", 3, Duration.ofHours(1), clock);
    Instant now = clock.instant();
    l.seed(List.of(now.minusSeconds(3000), now.minusSeconds(60), now.minusSeconds(4000)));
    assertThat(l.getMetrics().getAvailablePermissions()).isEqualTo(1);
    assertThat(l.tryAcquire()).isNotNegative();
    assertThat(l.tryAcquire()).isNegative();
    assertThat(l.nextAvailable()).isEqualTo(now.minusSeconds(3000).plus(Duration.ofHours(1)));
  }

  @Test
  void itIsAResilience4jRateLimiter_withItsConfigAndEvents() {
    RateLimiter l = new SlidingWindowRateLimiter("mkt-email", 1, Duration.ofHours(1), clock);
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    l.getEventPublisher().onSuccess(e -> ok.incrementAndGet()).onFailure(e -> refused.incrementAndGet());
    assertThat(l.acquirePermission()).isTrue();
    assertThat(l.acquirePermission()).isFalse();
    assertThat(l.getRateLimiterConfig().getLimitForPeriod()).isEqualTo(1);
    assertThat(l.getRateLimiterConfig().getLimitRefreshPeriod()).isEqualTo(Duration.ofHours(1));
    assertThat(ok.get()).isEqualTo(1);
    assertThat(refused.get()).isEqualTo(1);
  }
}
