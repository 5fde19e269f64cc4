package dev.mkt.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.Action;
import dev.mkt.Marketing;
import dev.mkt.MarketingEvent;
import dev.mkt.spi.Outbox;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine inside mkt-core's real pipeline: track → log → reactor → state → DRL → outbox. */
class MarketingIntegrationTest {
  @TempDir
  Path dir;

  /** An outbox with the SPI's contract: one action per idempotency key. */
  static final class KeyedOutbox implements Outbox {
    final Set<String> keys = new HashSet<>();
    final List<Action> actions = new ArrayList<>();

    @Override
    public synchronized int putAll(Collection<Action> a) {
      int n = 0;
      for (Action x : a) {
        if (keys.add(x.idempotencyKey())) {
          actions.add(x);
          n++;
        }
      }
      return n;
    }

    @Override
    public void flush() {}

    synchronized List<Action> actions() {
      return List.copyOf(actions);
    }
  }

  @Test
  void seedRulesDecideThroughTheReactorAndPoisonEventsAreDeadLetteredWithoutStoppingIt() throws Exception {
    KeyedOutbox outbox = new KeyedOutbox();
    Instant t = Instant.now().minus(Duration.ofHours(1));
    try (Marketing mkt = Marketing.builder().dataDirectory(dir)
        .ruleEngine(DrlRuleEngine.builder().seedRules(true).build()).outbox(outbox).build()) {
      mkt.track(MarketingEvent.builder("signup", "u1").id("s1").timestamp(t).put("email_verified", true).build());
      mkt.track(MarketingEvent.builder("churn_signal", "u2").id("c1").timestamp(t).put("score", "high").build());
      mkt.track(MarketingEvent.builder("churn_signal", "u2").id("c2").timestamp(t.plusSeconds(1)).put("score", 0.95)
          .build());
      for (int i = 0; i < 6; i++) {
        mkt.track(MarketingEvent.builder("feature_usage", "u3").id("f" + i).timestamp(t.plusSeconds(i))
            .put("feature_name", "export").build());
      }
      assertThat(mkt.awaitProcessed(Duration.ofSeconds(30))).isTrue();
      assertThat(outbox.actions()).extracting(Action::rule).containsExactly("welcome", "welcome", "welcome",
          "churn", "churn", "power_user", "power_user");
      assertThat(mkt.stats().deadLettered()).isEqualTo(1);
      assertThat(mkt.contact("u2").churnScore()).isEqualTo(0.95);
    }
  }
}
