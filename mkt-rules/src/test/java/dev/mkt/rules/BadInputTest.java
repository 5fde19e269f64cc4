package dev.mkt.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mkt.Action;
import dev.mkt.RuleEvaluationException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The bad inputs of issue 3: each gets a clear, typed error naming the rule (and the event), and the engine goes on. */
class BadInputTest {
  static final String HEADER = "package t;\nimport dev.mkt.rules.Event;\nimport dev.mkt.Activity;\n"
      + "import dev.mkt.Contact;\nglobal dev.mkt.rules.Actions actions;\n";

  static RuleCompilationException compileError(String drl) {
    try {
      DrlRuleEngine.builder().drl("rules/t.drl", drl).build().close();
    } catch (RuleCompilationException e) {
      return e;
    }
    throw new AssertionError("expected a RuleCompilationException");
  }

  @Test
  void syntaxErrorNamesFileLineColumnAndRule() {
    RuleCompilationException e = compileError(HEADER
        + "rule \"ok\"\nwhen\n  Event( type == \"a\" )\nthen\nend\n"
        + "rule \"broken\"\nwhen\n  Event( type == \"a\"\nthen\nend\n");
    assertThat(e.errors()).isNotEmpty();
    RuleProblem p = e.errors().get(0);
    assertThat(p.file()).isEqualTo("rules/t.drl");
    assertThat(p.rule()).isEqualTo("broken");
    assertThat(p.line()).isEqualTo(14);
    assertThat(p.column()).isGreaterThan(0);
    assertThat(e).hasMessageContaining("rules/t.drl:14:");
  }

  @Test
  void unknownFactFieldNamesFileLineAndRule() {
    RuleCompilationException e = compileError(HEADER
        + "rule \"typo\"\nwhen\n  Event( tpye == \"signup\" )\nthen\nend\n");
    RuleProblem p = e.errors().get(0);
    assertThat(p.rule()).isEqualTo("typo");
    assertThat(p.line()).isEqualTo(8);
    assertThat(p.message()).contains("tpye");
    assertThat(e).hasMessageContaining("rules/t.drl:8:").hasMessageContaining("in rule 'typo'");
  }

  @Test
  void unknownActionsMethodInAConsequenceNamesTheRule() {
    RuleCompilationException e = compileError(HEADER
        + "rule \"bad_then\"\nwhen\n  Event( type == \"a\" )\nthen\n  actions.sendSms(\"x\");\nend\n");
    assertThat(e.errors().get(0).rule()).isEqualTo("bad_then");
    assertThat(e.errors().get(0).message()).contains("sendSms");
  }

  @Test
  void badWindowLiteralIsACompileError() {
    RuleCompilationException e = compileError(HEADER
        + "rule \"w\"\nwhen\n  Event( type == \"a\" )\n  Activity( count(\"a\", \"24 hours\") > 1 )\nthen\nend\n");
    RuleProblem p = e.errors().get(0);
    assertThat(p.rule()).isEqualTo("w");
    assertThat(p.line()).isEqualTo(9);
    assertThat(p.message()).contains("24 hours");
  }

  @Test
  void unknownTemplateFailsWhenTheDispatchersTemplatesAreKnown() {
    assertThatThrownBy(() -> DrlRuleEngine.builder().seedRules(true)
        .knownTemplates(Set.of("email/welcome_v1", "email/welcome_day2", "email/welcome_day5", "email/pro_tip_v1",
            "in_app/review_request", "email/payment_recovery_v1", "email/winback_survey_v1"))
        .build())
        .isInstanceOf(RuleCompilationException.class)
        .satisfies(ex -> {
          RuleProblem p = ((RuleCompilationException) ex).errors().get(0);
          assertThat(p.rule()).isEqualTo("churn");
          assertThat(p.file()).endsWith("churn.drl");
          assertThat(p.line()).isEqualTo(17);
          assertThat(p.message()).contains("email/help_offering");
        });
  }

  @Test
  void allTemplatesKnownCompiles() {
    try (DrlRuleEngine e = DrlRuleEngine.builder().seedRules(true)
        .knownTemplates(Set.of("email/welcome_v1", "email/welcome_day2", "email/welcome_day5", "email/pro_tip_v1",
            "in_app/review_request", "email/payment_recovery_v1", "email/winback_survey_v1", "email/help_offering"))
        .build()) {
      assertThat(e.templatesReferenced()).hasSize(8);
    }
  }

  @Test
  void loopingRuleIsStoppedByMaxFiresAndNamed() {
    String drl = HEADER + "declare Tick end\n"
        + "rule \"start\"\nwhen\n  Event( type == \"a\" )\nthen\n  insert(new Tick());\nend\n"
        + "rule \"loop\"\nwhen\n  Tick()\nthen\n  insert(new Tick());\nend\n"
        + "rule \"fine\"\nwhen\n  Event( type == \"b\" )\nthen\n  actions.sendEmail(\"b_v1\");\nend\n";
    try (RuleTestKit kit = RuleTestKit.of(DrlRuleEngine.builder().drl("loop.drl", drl).maxFiresPerEvent(50).build())) {
      assertThat(kit.event("a", "u1")).isEmpty();
      RuntimeException err = kit.last().error();
      assertThat(err).isInstanceOf(RuleEvaluationException.class);
      assertThat(((RuleEvaluationException) err).rule()).isEqualTo("loop");
      assertThat(((RuleEvaluationException) err).eventId()).isEqualTo("e1");
      assertThat(err).hasMessageContaining("more than 50 times");
      // The engine keeps running.
      assertThat(kit.event("b", "u1")).extracting(Action::template).containsExactly("b_v1");
    }
  }

  @Test
  void payloadFieldOfTheWrongTypeNamesRuleAndEventAndTheEngineGoesOn() {
    try (RuleTestKit kit = RuleTestKit.seedRules()) {
      assertThat(kit.event("churn_signal", "u1", "score", "high")).isEmpty();
      RuleEvaluationException err = (RuleEvaluationException) kit.last().error();
      assertThat(err.rule()).isEqualTo("churn");
      assertThat(err.eventId()).isEqualTo("e1");
      assertThat(err).hasMessageContaining("score").hasMessageContaining("must be a number")
          .hasMessageContaining("\"high\"");
      assertThat(kit.event("churn_signal", "u1", "score", 0.9)).hasSize(2);
    }
  }

  @Test
  void exceptionInAConsequenceNamesTheRule() {
    String drl = HEADER + "rule \"boom\"\nwhen\n  $e : Event( type == \"a\" )\nthen\n"
        + "  actions.sendEmail(\"x\").after(\"soon\");\nend\n";
    try (RuleTestKit kit = RuleTestKit.of(DrlRuleEngine.builder().drl("boom.drl", drl).build())) {
      kit.event("a", "u1");
      RuleEvaluationException err = (RuleEvaluationException) kit.last().error();
      assertThat(err.rule()).isEqualTo("boom");
      assertThat(err).hasMessageContaining("soon");
      assertThat(kit.actions()).isEmpty();
    }
  }

  @Test
  void factsInsertedByAConsequenceDoNotLeakIntoTheNextEvent() {
    String drl = HEADER + "declare Marker end\n"
        + "rule \"mark\"\nwhen\n  Event( type == \"a\" )\nthen\n  insert(new Marker());\nend\n"
        + "rule \"seen\"\nwhen\n  Event( type == \"b\" )\n  Marker()\nthen\n  actions.sendEmail(\"leak\");\nend\n";
    try (RuleTestKit kit = RuleTestKit.of(DrlRuleEngine.builder().drl("m.drl", drl).build())) {
      kit.event("a", "u1");
      assertThat(kit.event("b", "u1")).isEmpty();
    }
  }

  @Test
  void problemsListEveryError() {
    RuleCompilationException e = compileError(HEADER
        + "rule \"one\"\nwhen\n  Event( nope == 1 )\nthen\nend\n"
        + "rule \"two\"\nwhen\n  Contact( nada == 2 )\nthen\nend\n");
    assertThat(e.errors()).extracting(RuleProblem::rule).containsExactly("one", "two");
    assertThat(List.of(e.getMessage().split("\n"))).hasSize(3);
  }

  @Test
  void activityReadWithANonLiteralTypeThatIsNotDeclaredFailsClearly() {
    String drl = HEADER + "rule \"dynamic\"\nwhen\n  $e : Event( type == \"a\" )\n"
        + "  Activity( count($e.type, \"1h\") > 1 )\nthen\n  actions.sendEmail(\"x\");\nend\n";
    try (RuleTestKit kit = RuleTestKit.of(DrlRuleEngine.builder().drl("d.drl", drl).build())) {
      kit.event("a", "u1");
      RuleEvaluationException err = (RuleEvaluationException) kit.last().error();
      assertThat(err.rule()).isEqualTo("dynamic");
      assertThat(err).hasMessageContaining("not tracked").hasMessageContaining("ActivitySpec");
    }
  }

  @Test
  void declaringTheActivityExplicitlyMakesItWork() {
    String drl = HEADER + "rule \"dynamic\"\nwhen\n  $e : Event( type == \"a\" )\n"
        + "  Activity( count($e.type, \"1h\") > 1 )\nthen\n  actions.sendEmail(\"x\");\nend\n";
    try (RuleTestKit kit = RuleTestKit.of(DrlRuleEngine.builder().drl("d.drl", drl)
        .activity(dev.mkt.ActivitySpec.builder().count("a", java.time.Duration.ofHours(1), 4).build()).build())) {
      assertThat(kit.event("a", "u1")).isEmpty();
      assertThat(kit.event("a", "u1")).hasSize(1);
    }
  }
}
