package dev.mkt.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.Action;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example of docs/rules.md, "Testing your rules": keep the two in sync. */
class RuleTestKitExampleTest {

  @Test
  void trialUsersWhoExportALotGetOneNudgeAnHourLater() {
    try (RuleTestKit kit = RuleTestKit.of(
        DrlRuleEngine.builder().directory(Path.of("src/test/resources/example-rules")).build())) {
      kit.at("2026-03-02T09:00:00Z").identify("u1", Map.of("plan", "trial"));
      for (int i = 0; i < 9; i++) {
        assertThat(kit.event("feature_usage", "u1", "feature_name", "export")).isEmpty();
        kit.advance("2h");
      }
      Instant tenth = kit.now();
      assertThat(kit.event("feature_usage", "u1", "feature_name", "export"))
          .singleElement()
          .satisfies(a -> {
            assertThat(a.template()).isEqualTo("upgrade_nudge_v1");
            assertThat(a.vars()).containsEntry("feature", "export");
            assertThat(a.notBefore()).isEqualTo(tenth.plusSeconds(3600));
          });
      // once(): the 11th export decides the same key again; the outbox keeps the first.
      assertThat(kit.event("feature_usage", "u1", "feature_name", "export")).isEmpty();
      assertThat(kit.decided()).hasSize(2);
      assertThat(kit.actions()).extracting(Action::idempotencyKey)
          .containsExactly("trial_upgrade_nudge:u1:once:email/upgrade_nudge_v1");
    }
  }

  @Test
  void usersNotOnTrialGetNothing() {
    try (RuleTestKit kit = RuleTestKit.of(
        DrlRuleEngine.builder().directory(Path.of("src/test/resources/example-rules")).build())) {
      kit.identify("u2", Map.of("plan", "pro"));
      for (int i = 0; i < 12; i++) {
        kit.event("feature_usage", "u2", "feature_name", "export");
      }
      assertThat(kit.actions()).isEmpty();
    }
  }
}
