package dev.mkt.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.Action;
import org.junit.jupiter.api.Test;

/** Consequences default to MVEL (fast to compile); dialect "java" stays available per rule or package. */
class DialectTest {
  static final String HEADER = "package t;\nimport dev.mkt.rules.Event;\nimport java.util.List;\n"
      + "global dev.mkt.rules.Actions actions;\n";

  @Test
  void javaDialectConsequencesWork() {
    String drl = HEADER + "rule \"java_rule\" dialect \"java\"\nwhen\n  $e : Event( type == \"a\" )\nthen\n"
        + "  List<String> parts = List.of(\"x\", \"y\");\n"
        + "  for (String p : parts) { actions.sendEmail(\"tpl_\" + p).var(\"user\", $e.getUserId()); }\nend\n";
    try (RuleTestKit kit = RuleTestKit.of(DrlRuleEngine.builder().drl("j.drl", drl).build())) {
      assertThat(kit.event("a", "u1")).extracting(Action::template).containsExactly("tpl_x", "tpl_y");
    }
  }

  @Test
  void javaDialectCompileErrorsNameTheRule() {
    String drl = HEADER + "rule \"java_bad\" dialect \"java\"\nwhen\n  Event( type == \"a\" )\nthen\n"
        + "  int x = \"not an int\";\nend\n";
    try {
      DrlRuleEngine.builder().drl("j.drl", drl).build().close();
      throw new AssertionError("expected a RuleCompilationException");
    } catch (RuleCompilationException e) {
      assertThat(e.errors().get(0).rule()).isEqualTo("java_bad");
      assertThat(e.errors().get(0).file()).isEqualTo("j.drl");
    }
  }
}
