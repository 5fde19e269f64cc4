package dev.mkt.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mkt.Action;
import dev.mkt.ActionType;
import dev.mkt.Priority;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TriggersTest {
  static final Path SEED_CONFIG = Path.of("src/test/resources/triggers/marketing.config.yaml");

  @TempDir
  Path dir;

  @Test
  void parsesTheSeedConfigTemplate() {
    List<Trigger> t = Triggers.parse(SEED_CONFIG);
    assertThat(t).extracting(Trigger::id).containsExactly("welcome_sequence", "power_user_prompt", "churn_prevention");
    Trigger churn = t.get(2);
    assertThat(churn.action()).isEqualTo(ActionType.CREATE_TASK);
    assertThat(churn.template()).isEqualTo("churn_prevention");
    assertThat(churn.priority()).isEqualTo(Priority.HIGH);
    assertThat(t.get(0).delay()).isEqualTo(Duration.ZERO);
  }

  @Test
  void generatedDrlIsReadable() {
    String drl = Triggers.toDrl(Triggers.parse(SEED_CONFIG), "marketing.config.yaml");
    assertThat(drl).contains("rule \"power_user_prompt\"")
        .contains("Activity( count(\"feature_usage\", \"24h\") > 5, previousCount(\"feature_usage\", \"24h\") <= 5 )")
        .contains("Event( type == \"signup\", flag(\"email_verified\") == true )")
        .contains("actions.action(\"create_task\", \"churn_prevention\").priority(Priority.HIGH);");
  }

  @Test
  void configTriggersBehaveLikeTheSeedSemantics() {
    try (RuleTestKit kit = RuleTestKit.of(DrlRuleEngine.builder().triggers(SEED_CONFIG).build())) {
      kit.at("2026-03-01T00:00:00Z");
      assertThat(kit.event("signup", "u1", "email_verified", true)).extracting(Action::template)
          .containsExactly("welcome_v1");
      for (int i = 0; i < 5; i++) {
        assertThat(kit.event("feature_usage", "u1")).isEmpty();
      }
      assertThat(kit.event("feature_usage", "u1")).extracting(Action::template).containsExactly("pro_tip_v1");
      assertThat(kit.event("feature_usage", "u1")).isEmpty();
      assertThat(kit.event("session_anomaly", "u1", "score", 0.8)).isEmpty();
      List<Action> t = kit.event("session_anomaly", "u1", "score", 0.81);
      assertThat(t).extracting(Action::type, Action::priority)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(ActionType.CREATE_TASK, Priority.HIGH));
      assertThat(kit.event("session_anomaly", "u1", "score", 0.9)).isEmpty();
    }
  }

  @Test
  void delayIsADurationAfterTheEventTime() throws Exception {
    Files.writeString(dir.resolve("triggers.yaml"), """
        - id: nudge
          event: trial_started
          action: send_email
          template: trial_tips
          delay: 3d
          once: true
        """);
    try (RuleTestKit kit = RuleTestKit.of(DrlRuleEngine.builder().directory(dir).build())) {
      Instant t = Instant.parse("2026-03-01T10:00:00Z");
      List<Action> a = kit.at(t).event("trial_started", "u1");
      assertThat(a).singleElement().satisfies(x -> {
        assertThat(x.notBefore()).isEqualTo(t.plus(Duration.ofDays(3)));
        assertThat(x.idempotencyKey()).isEqualTo("nudge:u1:once:email/trial_tips");
      });
    }
  }

  @Test
  void jsonTriggerFilesAndOperatorsAndStreaks() throws Exception {
    Files.writeString(dir.resolve("retention.triggers.json"), """
        {"triggers": [
          {"id": "big_spender", "event": "upgrade", "condition": {"mrr": {"gte": 100}, "plan": "team"},
           "action": "update_crm", "template": "vip"},
          {"id": "short_sessions", "event": "session_duration",
           "condition": {"streak": {"field": "seconds", "below": 10, "count": 2}},
           "action": "in_app", "template": "help_tour"}
        ]}
        """);
    try (DrlRuleEngine engine = DrlRuleEngine.builder().directory(dir).build();
        RuleTestKit kit = RuleTestKit.shared(engine)) {
      assertThat(engine.generatedDrl()).containsOnlyKeys(dir.resolve("retention.triggers.json") + " (generated DRL)");
      assertThat(kit.event("upgrade", "u1", "mrr", 99, "plan", "team")).isEmpty();
      assertThat(kit.event("upgrade", "u1", "mrr", 100, "plan", "solo")).isEmpty();
      assertThat(kit.event("upgrade", "u1", "mrr", 100, "plan", "team")).hasSize(1);
      assertThat(kit.event("session_duration", "u1", "seconds", 5)).isEmpty();
      assertThat(kit.event("session_duration", "u1", "seconds", 5)).hasSize(1);
      assertThat(kit.event("session_duration", "u1", "seconds", 5)).isEmpty();
    }
  }

  @Test
  void badTriggersNameTheTriggerLineAndValue() {
    assertThatThrownBy(() -> Triggers.parse("t.yaml", """
        triggers:
          - id: ok
            event: signup
            action: send_email
            template: hi
          - id: bad_action
            event: signup
            action: send_fax
            template: hi
          - id: bad_delay
            event: signup
            action: send_email
            template: hi
            delay: soonish
        """))
        .isInstanceOf(RuleCompilationException.class)
        .satisfies(e -> {
          List<RuleProblem> p = ((RuleCompilationException) e).errors();
          assertThat(p).extracting(RuleProblem::rule).containsExactly("bad_action", "bad_delay");
          assertThat(p).extracting(RuleProblem::line).containsExactly(6, 10);
          assertThat(p.get(0).message()).contains("send_fax");
          assertThat(p.get(1).message()).contains("soonish");
        });
  }

  @Test
  void invalidYamlNamesTheLine() {
    assertThatThrownBy(() -> Triggers.parse("t.yaml", "triggers: [ { id: 'a', \n  event: 'b' \n"))
        .isInstanceOf(RuleCompilationException.class)
        .hasMessageContaining("t.yaml:");
  }

  @Test
  void injectionThroughNamesIsRejected() {
    assertThatThrownBy(() -> Triggers.parse("t.yaml", """
        - id: 'x" salience 100'
          event: signup
          action: send_email
          template: hi
        """)).isInstanceOf(RuleCompilationException.class).hasMessageContaining("id must match");
  }
}
