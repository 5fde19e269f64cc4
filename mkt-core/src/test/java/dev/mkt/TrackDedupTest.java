package dev.mkt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.internal.DefaultMarketing;
import dev.mkt.spi.LogRecord;
import dev.mkt.test.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackDedupTest {
  @TempDir Path dir;
  MutableClock clock = MutableClock.at("2026-11-28T10:00:00Z");

  private Marketing open(TrackingConfig tracking) {
    return Marketing.builder().dataDirectory(dir).clock(clock).tracking(tracking).startReactor(false).build();
  }

  private MarketingEvent usage(String id, String session) {
    return MarketingEvent.builder(EventTypes.FEATURE_USAGE, "u1").id(id).sessionId(session)
        .timestamp(clock.instant()).put("feature_name", "export").build();
  }

  @Test
  void byDefaultTheEventIdIsTheKey_soSixUsesInOneSessionAreSixEvents() {
    try (Marketing mkt = open(TrackingConfig.ofDefaults())) {
      for (int i = 1; i <= 6; i++) {
        assertThat(mkt.track(usage("use-" + i, "s1")).isAccepted()).isTrue();
      }
      assertThat(mkt.track(usage("use-3", "s1")).isDuplicate()).isTrue();
      assertThat(mkt.stats().appended()).isEqualTo(6);
      assertThat(mkt.stats().duplicates()).isEqualTo(1);
    }
  }

  @Test
  void theSeedsSessionAndTypeStrategyDropsTheSecondUseOfASession() {
    try (Marketing mkt = open(TrackingConfig.custom().dedupKey(DedupKeyStrategy.sessionAndType()).build())) {
      assertThat(mkt.track(usage("use-1", "s1")).isAccepted()).isTrue();
      assertThat(mkt.track(usage("use-2", "s1")).isDuplicate()).isTrue();
      assertThat(mkt.track(usage("use-3", "s2")).isAccepted()).isTrue();
    }
  }

  @Test
  void aCustomStrategy() {
    DedupKeyStrategy perUserPerDay = e -> e.userId() + ':' + e.type() + ':' + e.timestamp().toString().substring(0, 10);
    try (Marketing mkt = open(TrackingConfig.custom().dedupKey(perUserPerDay).build())) {
      assertThat(mkt.track(usage("a", "s1")).isAccepted()).isTrue();
      assertThat(mkt.track(usage("b", "s9")).isDuplicate()).isTrue();
    }
  }

  @Test
  void keysExpireAfterTheWindow() {
    try (Marketing mkt = open(TrackingConfig.ofDefaults())) {
      mkt.track(usage("e1", "s1"));
      clock.advance(Duration.ofMinutes(59));
      assertThat(mkt.track(usage("e1", "s1")).isDuplicate()).isTrue();
      clock.advance(Duration.ofMinutes(2));
      assertThat(mkt.track(usage("e1", "s1")).isAccepted()).isTrue();
    }
  }

  @Test
  void dedupSurvivesARestart_forKeysInsideTheWindowOnly() throws Exception {
    try (Marketing mkt = open(TrackingConfig.ofDefaults())) {
      mkt.track(usage("old", "s1")).durable().get();
      clock.advance(Duration.ofMinutes(50));
      mkt.track(usage("recent", "s1")).durable().get();
    }
    clock.advance(Duration.ofMinutes(20)); // "old" is 70 min old, "recent" 20 min
    try (Marketing mkt = open(TrackingConfig.ofDefaults())) {
      assertThat(mkt.track(usage("recent", "s1")).isDuplicate()).isTrue();
      assertThat(mkt.track(usage("old", "s1")).isAccepted()).isTrue();
      clock.advance(Duration.ofMinutes(41)); // the rebuilt key keeps its remaining TTL, not a fresh hour
      assertThat(mkt.track(usage("recent", "s1")).isAccepted()).isTrue();
    }
  }

  @Test
  void trackAll_appendsTheAcceptedTogether_inOrder_withPerEventResults() throws Exception {
    try (Marketing mkt = open(TrackingConfig.ofDefaults())) {
      mkt.track(usage("seen-before", "s"));
      List<TrackResult> rs = mkt.trackAll(List.of(usage("a", "s"), usage("seen-before", "s"),
          MarketingEvent.builder().type("x").build(), usage("b", "s"), usage("a", "s")));
      assertThat(rs).extracting(TrackResult::status).containsExactly(TrackResult.Status.ACCEPTED,
          TrackResult.Status.DUPLICATE, TrackResult.Status.REJECTED, TrackResult.Status.ACCEPTED,
          TrackResult.Status.DUPLICATE);
      assertThat(rs.get(0).position()).isEqualTo(1);
      assertThat(rs.get(3).position()).isEqualTo(2);
      assertThat(rs.get(2).reason()).contains(RejectReason.MISSING_USER_ID);
      rs.get(3).durable().get();
      List<LogRecord> recs = ((DefaultMarketing) mkt).eventLog().read(0, 10).records();
      assertThat(recs).extracting(LogRecord::key).containsExactly("seen-before", "a", "b");
    }
  }

  @Test
  void eightConcurrentProducers_nothingLostNothingDuplicated() throws Exception {
    int threads = 8;
    int perThread = 5_000;
    ConcurrentLinkedQueue<Long> positions = new ConcurrentLinkedQueue<>();
    try (Marketing mkt = open(TrackingConfig.ofDefaults())) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      for (int t = 0; t < threads; t++) {
        int thread = t;
        pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            // Every event is sent twice, racing with the other threads' copies of the same id.
            String id = "e-" + ((thread / 2) * perThread + i);
            TrackResult r = mkt.track(usage(id, "s"));
            if (r.isAccepted()) {
              positions.add(r.position());
            } else {
              assertThat(r.isDuplicate()).isTrue();
            }
          }
          return null;
        });
      }
      start.countDown();
      pool.shutdown();
      assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
      int unique = threads / 2 * perThread;
      assertThat(positions).hasSize(unique);
      assertThat(new HashSet<>(positions)).hasSize(unique);
      assertThat(mkt.stats().duplicates()).isEqualTo(unique);
      DefaultMarketing d = (DefaultMarketing) mkt;
      d.eventLog().whenDurable(unique - 1).get(10, TimeUnit.SECONDS);
      Set<String> keys = new HashSet<>();
      long next = 0;
      List<LogRecord> all = new ArrayList<>();
      while (next < unique) {
        var b = d.eventLog().read(next, 4096);
        all.addAll(b.records());
        next = b.nextOffset();
      }
      all.forEach(r -> keys.add(r.key()));
      assertThat(all).hasSize(unique);
      assertThat(keys).hasSize(unique);
    }
  }
}
