package dev.mkt.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.ActivitySpec;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActivitySpecDerivationTest {

  @Test
  void seedRulesDeclareWhatTheyRead() {
    try (DrlRuleEngine e = DrlRuleEngine.builder().seedRules(true).build()) {
      ActivitySpec spec = e.activitySpec();
      assertThat(spec.counts()).containsOnlyKeys("feature_usage");
      // count > 5 must be exact now and at the previous use: 5 + 2 timestamps.
      assertThat(spec.counts().get("feature_usage")).isEqualTo(new ActivitySpec.Count(Duration.ofHours(24), 7));
      assertThat(spec.histories()).containsEntry("churn_signal", Map.of("score", 2))
          .containsEntry("session_duration", Map.of("seconds", 5));
    }
  }

  @Test
  void theSameInstanceIsReturnedWhileRulesDoNotChange() {
    try (DrlRuleEngine e = DrlRuleEngine.builder().seedRules(true).build()) {
      assertThat(e.activitySpec()).isSameAs(e.activitySpec());
    }
  }

  @Test
  void commentedOutCallsAreIgnored() {
    String drl = "package t;\nimport dev.mkt.rules.Event;\nimport dev.mkt.Activity;\n"
        + "// Activity( count(\"ghost\", \"7d\") > 3 )\n/* previous(\"ghost\", \"x\") */\n"
        + "rule \"r\"\nwhen\n  Event( type == \"a\" )\n  Activity( count(\"a\", \"1h\") >= 2 )\nthen\nend\n";
    try (DrlRuleEngine e = DrlRuleEngine.builder().drl("t.drl", drl).build()) {
      assertThat(e.activitySpec().counts()).containsOnlyKeys("a");
      assertThat(e.activitySpec().counts().get("a").capacity()).isEqualTo(4);
      assertThat(e.activitySpec().histories()).isEmpty();
    }
  }

  @Test
  void explicitDeclarationsMerge() {
    ActivitySpec extra = ActivitySpec.builder().count("page_view", Duration.ofDays(7), 64).build();
    try (DrlRuleEngine e = DrlRuleEngine.builder().seedRules(true).activity(extra).build()) {
      assertThat(e.activitySpec().counts()).containsKeys("feature_usage", "page_view");
      assertThat(e.activitySpec().counts().get("page_view").capacity()).isEqualTo(64);
    }
  }

  @Test
  void templatesReferencedAreChannelQualifiedAndExcludeTasks() {
    try (DrlRuleEngine e = DrlRuleEngine.builder().seedRules(true).build()) {
      assertThat(e.templatesReferenced()).containsExactlyInAnyOrder("email/welcome_v1", "email/welcome_day2",
          "email/welcome_day5", "email/pro_tip_v1", "in_app/review_request", "email/payment_recovery_v1",
          "email/winback_survey_v1", "email/help_offering");
    }
  }

  @Test
  void socialNetworkAndChannelOverridesAreQualified() {
    String drl = "package t;\nimport dev.mkt.rules.Event;\nglobal dev.mkt.rules.Actions actions;\n"
        + "rule \"r\"\nwhen\n  Event( type == \"release\" )\nthen\n  actions.postSocial(\"linkedin\", \"launch\");\n"
        + "  actions.sendEmail(\"digest\").channel(\"email.marketing\");\nend\n";
    try (DrlRuleEngine e = DrlRuleEngine.builder().drl("t.drl", drl).build()) {
      assertThat(e.templatesReferenced()).containsExactlyInAnyOrder("social.linkedin/launch", "email.marketing/digest");
    }
  }
}
