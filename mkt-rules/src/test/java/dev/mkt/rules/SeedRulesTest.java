package dev.mkt.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.Action;
import dev.mkt.ActionType;
import dev.mkt.MarketingEvent;
import dev.mkt.Priority;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Pins every boundary of the five shipped triggers (issue 3). */
class SeedRulesTest {
  static DrlRuleEngine engine;
  RuleTestKit kit;
  static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

  @BeforeAll
  static void compile() {
    engine = DrlRuleEngine.builder().seedRules(true).build();
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  @BeforeEach
  void kit() {
    // A fresh kit (fresh state) over the shared compiled engine; the engine keeps no per-user state.
    kit = RuleTestKitAccess.sharedEngine(engine).at(T0);
  }

  static List<String> templates(List<Action> actions) {
    return actions.stream().map(Action::template).toList();
  }

  @Test
  void seedRulesAreTheFiveTriggers() {
    assertThat(engine.ruleNames()).containsExactly("churn", "payment_recovery", "power_user", "welcome", "winback");
  }

  @Nested
  class Welcome {
    @Test
    void verifiedSignupSendsThreeEmailsAtTPlus0And2dAnd5d() {
      List<Action> a = kit.event("signup", "u1", "email_verified", true);
      assertThat(templates(a)).containsExactly("welcome_v1", "welcome_day2", "welcome_day5");
      assertThat(a).extracting(Action::notBefore)
          .containsExactly(T0, T0.plus(Duration.ofDays(2)), T0.plus(Duration.ofDays(5)));
      assertThat(a).allSatisfy(x -> {
        assertThat(x.type()).isEqualTo(ActionType.SEND_EMAIL);
        assertThat(x.rule()).isEqualTo("welcome");
        assertThat(x.idempotencyKey()).startsWith("welcome:u1:once:");
      });
    }

    @Test
    void unverifiedSignupSendsNothing() {
      assertThat(kit.event("signup", "u1", "email_verified", false)).isEmpty();
    }

    @Test
    void signupWithoutTheFlagSendsNothing() {
      assertThat(kit.event("signup", "u1")).isEmpty();
    }

    @Test
    void aSecondVerifiedSignupOfTheSameUserQueuesNothing() {
      kit.event("signup", "u1", "email_verified", true);
      kit.advance("30d");
      assertThat(kit.event("signup", "u1", "email_verified", true)).isEmpty();
      assertThat(kit.actions("u1")).hasSize(3);
    }

    @Test
    void theStringTrueIsATypeErrorNotTrue() {
      assertThat(kit.event("signup", "u1", "email_verified", "true")).isEmpty();
      assertThat(kit.last().status()).isEqualTo(Backtest.Status.FAILED);
      assertThat(kit.last().error()).hasMessageContaining("welcome").hasMessageContaining("email_verified");
    }
  }

  @Nested
  class PowerUser {
    @Test
    void firesOnTheSixthUseWithin24hWithTheFeatureVar() {
      for (int i = 0; i < 5; i++) {
        assertThat(kit.event("feature_usage", "u1", "feature_name", "export")).isEmpty();
        kit.advance("1h");
      }
      List<Action> a = kit.event("feature_usage", "u1", "feature_name", "export");
      assertThat(a).extracting(Action::type, Action::template)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(ActionType.SEND_EMAIL, "pro_tip_v1"),
              org.assertj.core.groups.Tuple.tuple(ActionType.IN_APP, "review_request"));
      assertThat(a.get(0).vars()).containsEntry("feature", "export");
      assertThat(a.get(0).idempotencyKey()).isEqualTo("power_user:u1:e6:email/pro_tip_v1");
    }

    @Test
    void doesNotFireAgainOnTheSeventhAndLaterUses() {
      for (int i = 0; i < 6; i++) {
        kit.event("feature_usage", "u1", "feature_name", "export");
      }
      assertThat(kit.event("feature_usage", "u1")).isEmpty();
      assertThat(kit.event("feature_usage", "u1")).isEmpty();
      assertThat(kit.actions("u1")).hasSize(2);
    }

    @Test
    void anEventExactly24hOlderIsOutsideTheWindow() {
      // (t-24h, t]: the first use at T0 falls out of the window of a use at T0+24h.
      kit.event("feature_usage", "u1");
      for (int i = 0; i < 4; i++) {
        kit.advance("1h").event("feature_usage", "u1");
      }
      kit.at(T0.plus(Duration.ofHours(24)));
      assertThat(kit.event("feature_usage", "u1")).isEmpty(); // 5 in (T0, T0+24h]
      assertThat(kit.event("feature_usage", "u1")).hasSize(2); // now 6
    }

    @Test
    void anEventJustInsideTheWindowCounts() {
      kit.event("feature_usage", "u1");
      for (int i = 0; i < 4; i++) {
        kit.advance("1h").event("feature_usage", "u1");
      }
      kit.at(T0.plus(Duration.ofHours(24)).minusMillis(1));
      assertThat(kit.event("feature_usage", "u1")).hasSize(2); // T0 is inside (t-24h, t]
    }

    @Test
    void firesAgainAfterDroppingToFiveOrFewer() {
      for (int i = 0; i < 6; i++) {
        kit.event("feature_usage", "u1");
      }
      kit.advance("2d");
      for (int i = 0; i < 5; i++) {
        assertThat(kit.event("feature_usage", "u1")).isEmpty();
      }
      assertThat(kit.event("feature_usage", "u1")).hasSize(2);
    }

    @Test
    void otherUsersUsesDoNotCount() {
      for (int i = 0; i < 5; i++) {
        kit.event("feature_usage", "u1");
      }
      assertThat(kit.event("feature_usage", "u2")).isEmpty();
    }
  }

  @Nested
  class PaymentRecovery {
    @Test
    void firstRetrySendsTheRecoveryEmail() {
      assertThat(templates(kit.event("payment_failed", "u1", "retry_count", 1))).containsExactly("payment_recovery_v1");
    }

    @Test
    void otherRetryCountsSendNothing() {
      assertThat(kit.event("payment_failed", "u1", "retry_count", 0)).isEmpty();
      assertThat(kit.event("payment_failed", "u1", "retry_count", 2)).isEmpty();
      assertThat(kit.event("payment_failed", "u1")).isEmpty();
    }
  }

  @Nested
  class Winback {
    @Test
    void firesOnTheThirdConsecutiveShortSessionOnly() {
      assertThat(kit.event("session_duration", "u1", "seconds", 10)).isEmpty();
      assertThat(kit.event("session_duration", "u1", "seconds", 29)).isEmpty();
      assertThat(templates(kit.event("session_duration", "u1", "seconds", 5))).containsExactly("winback_survey_v1");
      assertThat(kit.event("session_duration", "u1", "seconds", 5)).isEmpty(); // 4th
      assertThat(kit.event("session_duration", "u1", "seconds", 5)).isEmpty(); // 5th
    }

    @Test
    void aSessionOf30sResetsTheStreak() {
      kit.event("session_duration", "u1", "seconds", 10);
      kit.event("session_duration", "u1", "seconds", 10);
      assertThat(kit.event("session_duration", "u1", "seconds", 30)).isEmpty();
      assertThat(kit.event("session_duration", "u1", "seconds", 10)).isEmpty();
      assertThat(kit.event("session_duration", "u1", "seconds", 10)).isEmpty();
      assertThat(kit.event("session_duration", "u1", "seconds", 10)).hasSize(1);
    }

    @Test
    void aNewStreakAfterAResetFiresAgain() {
      for (int i = 0; i < 4; i++) {
        kit.event("session_duration", "u1", "seconds", 3);
      }
      kit.event("session_duration", "u1", "seconds", 300);
      kit.event("session_duration", "u1", "seconds", 3);
      kit.event("session_duration", "u1", "seconds", 3);
      assertThat(kit.event("session_duration", "u1", "seconds", 3)).hasSize(1);
      assertThat(kit.actions("u1")).hasSize(2);
    }
  }

  @Nested
  class Churn {
    @Test
    void firstScoreAbove08FiresTaskAndEmailBothHigh() {
      List<Action> a = kit.event("churn_signal", "u1", "score", 0.81);
      assertThat(a).extracting(Action::type, Action::template, Action::priority).containsExactly(
          org.assertj.core.groups.Tuple.tuple(ActionType.CREATE_TASK, "retention_review", Priority.HIGH),
          org.assertj.core.groups.Tuple.tuple(ActionType.SEND_EMAIL, "help_offering", Priority.HIGH));
    }

    @Test
    void exactly08DoesNotFire() {
      assertThat(kit.event("churn_signal", "u1", "score", 0.8)).isEmpty();
    }

    @Test
    void crossingFromAtMost08Fires() {
      kit.event("churn_signal", "u1", "score", 0.8);
      assertThat(kit.event("churn_signal", "u1", "score", 0.9)).hasSize(2);
    }

    @Test
    void staysAboveDoesNotFireAgain() {
      kit.event("churn_signal", "u1", "score", 0.9);
      assertThat(kit.event("churn_signal", "u1", "score", 0.95)).isEmpty();
    }

    @Test
    void dropsThenCrossesAgainFires() {
      kit.event("churn_signal", "u1", "score", 0.9);
      kit.event("churn_signal", "u1", "score", 0.5);
      assertThat(kit.event("churn_signal", "u1", "score", 0.85)).hasSize(2);
    }

    @Test
    void previousWithoutAScoreCountsAsAbsent() {
      kit.event("churn_signal", "u1", "score", 0.9);
      kit.event("churn_signal", "u1");
      assertThat(kit.event("churn_signal", "u1", "score", 0.9)).hasSize(2);
    }
  }

  @Test
  void aDuplicateEventIdIsOneEvent() {
    MarketingEvent e = MarketingEvent.builder("payment_failed", "u1").id("dup-1").timestamp(T0)
        .put("retry_count", 1).build();
    assertThat(kit.track(e)).hasSize(1);
    assertThat(kit.track(e)).isEmpty();
    assertThat(kit.last().status()).isEqualTo(Backtest.Status.DUPLICATE);
  }

  @Test
  void replayingTheSameEventsDecidesTheSameKeys() {
    List<String> first;
    try (RuleTestKit a = RuleTestKitAccess.sharedEngine(engine).at(T0)) {
      a.event("signup", "u1", "email_verified", true);
      a.event("churn_signal", "u1", "score", 0.9);
      first = a.actions().stream().map(Action::idempotencyKey).toList();
    }
    try (RuleTestKit b = RuleTestKitAccess.sharedEngine(engine).at(T0)) {
      b.event("signup", "u1", "email_verified", true);
      b.event("churn_signal", "u1", "score", 0.9);
      assertThat(b.actions()).extracting(Action::idempotencyKey).containsExactlyElementsOf(first);
    }
  }
}
