package dev.mkt.restart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.EventTypes;
import dev.mkt.Marketing;
import dev.mkt.MarketingEvent;
import dev.mkt.spi.Outbox;
import dev.mkt.spi.RuleEngine;
import dev.mkt.test.ChildJvm;
import dev.mkt.test.MutableClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The property a founder relies on when the server is redeployed mid-day: the same event stream, processed
 * once without interruption and once with a kill -9 at 10+ random points, yields the identical set of decided
 * actions — same idempotency keys, same content, nothing extra, nothing missing.
 */
class RestartEquivalenceTest {
  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  /** Far after the stream, so no timestamp is "in the future"; the engine clock drives nothing else here. */
  static final Instant ENGINE_NOW = T0.plus(Duration.ofDays(400));

  @TempDir Path root;

  static Marketing engine(Path dir, RuleEngine rules, Outbox outbox, boolean react) {
    var b = Marketing.builder().dataDirectory(dir).clock(new MutableClock(ENGINE_NOW)).ruleEngine(rules)
        .reactorBatch(8).commitInterval(Duration.ofMillis(15)).startReactor(react);
    if (outbox != null) {
      b.outbox(outbox);
    }
    return b.build();
  }

  /** The stream: 60 users, a few simulated weeks, every trigger's situations, resent events and identifies. */
  static void fill(Path dir) {
    Random r = new Random(7);
    try (Marketing mkt = engine(dir, RuleEngine.none(), null, false)) {
      Instant t = T0;
      List<MarketingEvent> sent = new ArrayList<>();
      for (int i = 0; i < 5_000; i++) {
        t = t.plusSeconds(1 + r.nextInt(r.nextInt(10) == 0 ? 20_000 : 400));
        String user = "user-" + r.nextInt(60);
        int kind = r.nextInt(100);
        MarketingEvent.Builder b;
        if (kind < 8) {
          b = MarketingEvent.builder(EventTypes.SIGNUP, user).put("email_verified", r.nextInt(3) > 0)
              .put("email", user + "@example.com");
        } else if (kind < 55) {
          b = MarketingEvent.builder(EventTypes.FEATURE_USAGE, user).put("feature_name", "f" + r.nextInt(4));
        } else if (kind < 78) {
          b = MarketingEvent.builder(EventTypes.SESSION_DURATION, user).put("seconds", r.nextInt(60));
        } else if (kind < 90) {
          b = MarketingEvent.builder(EventTypes.CHURN_SIGNAL, user).put("score", r.nextInt(100) / 100.0);
        } else {
          b = MarketingEvent.builder(EventTypes.PAYMENT_FAILED, user).put("retry_count", 1 + r.nextInt(3));
        }
        // Some events arrive late, out of order.
        Instant at = r.nextInt(30) == 0 ? t.minusSeconds(r.nextInt(7200)) : t;
        MarketingEvent e = b.id("e-" + i).timestamp(at).build();
        sent.add(e);
        mkt.track(e);
        if (r.nextInt(40) == 0) {
          mkt.track(sent.get(r.nextInt(sent.size()))); // a retried delivery: a duplicate
        }
        if (r.nextInt(150) == 0) {
          mkt.identify(user, Map.of("plan", "plan-" + r.nextInt(3), "email", user + ".new@example.com"));
        }
      }
    }
  }

  @Test
  void decisionsAreIdenticalWithAndWithoutKillNineRestarts() throws Exception {
    Path reference = root.resolve("reference");
    Path crashed = root.resolve("crashed");
    fill(reference);
    fill(crashed);

    JsonlOutbox refOutbox = new JsonlOutbox(reference.resolve("actions.jsonl"));
    try (Marketing mkt = engine(reference, new SeedLikeRules(0), refOutbox, true)) {
      assertThat(mkt.awaitProcessed(Duration.ofMinutes(2))).isTrue();
    }
    refOutbox.close();
    Map<String, String> expected = JsonlOutbox.read(reference.resolve("actions.jsonl"));

    Random r = new Random(11);
    int kills = 0;
    boolean done = false;
    for (int attempt = 0; attempt < 60 && !done; attempt++) {
      Process child = ChildJvm.start("warn", ReactorChild.class, crashed.toString());
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("READY");
      if (kills < 12) {
        Thread.sleep(40 + r.nextInt(120));
        if (child.isAlive()) {
          ChildJvm.kill9(child);
          kills++;
        }
        child.waitFor(30, TimeUnit.SECONDS);
      } else {
        done = "DONE".equals(out.readLine());
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
      }
    }
    assertThat(kills).isGreaterThanOrEqualTo(10);
    assertThat(done).isTrue();
    Map<String, String> actual = JsonlOutbox.read(crashed.resolve("actions.jsonl"));

    assertThat(Files.exists(crashed.resolve("mismatches.jsonl")))
        .as("an action was re-decided differently after a restart").isFalse();
    assertThat(expected).hasSizeGreaterThan(100);
    assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    assertThat(actual).containsExactlyInAnyOrderEntriesOf(expected);
    assertThat(expected.values()).anyMatch(j -> j.contains("pro_tip_v1")).anyMatch(j -> j.contains("winback"))
        .anyMatch(j -> j.contains("retention_review")).anyMatch(j -> j.contains("welcome_day5"))
        .anyMatch(j -> j.contains(".new@example.com"));
  }
}
