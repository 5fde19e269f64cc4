package dev.mkt.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.Action;
import dev.mkt.rules.internal.DrlAnalysis;
import dev.mkt.rules.internal.DrlCompiler;
import dev.mkt.rules.internal.DrlSource;
import dev.mkt.rules.internal.RuleSources;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-type gate: an event type no rule can fire for skips the session, and a fact type no rule that can fire
 * uses is not inserted; rules not gated by an {@code Event(type == "x")} pattern still see every event.
 */
class TypeGateTest {
  static final String HEADER = "package t;\nimport dev.mkt.rules.Event;\nimport dev.mkt.Activity;\n"
      + "global dev.mkt.rules.Actions actions;\n";

  private static RuleSession session(List<DrlSource> sources) {
    return new RuleSession(DrlCompiler.compile(sources, TypeGateTest.class.getClassLoader()).kieBase(), 100,
        DrlAnalysis.mayInsertFacts(sources));
  }

  @Test
  void seedRulesInsertOnlyWhatTheTypesRulesUse() {
    RuleSession s = session(RuleSources.seed());
    try {
      assertThat(s.needs("page_view").none()).isTrue();
      assertThat(s.needs("upgrade").none()).isTrue();
      assertThat(s.needs("signup")).isEqualTo(new RuleSession.Needs(true, false, false));
      assertThat(s.needs("payment_failed")).isEqualTo(new RuleSession.Needs(true, false, false));
      assertThat(s.needs("feature_usage")).isEqualTo(new RuleSession.Needs(true, false, true));
      assertThat(s.needs("session_duration")).isEqualTo(new RuleSession.Needs(true, false, true));
      assertThat(s.needs("churn_signal")).isEqualTo(new RuleSession.Needs(true, false, true));
    } finally {
      s.dispose();
    }
  }

  @Test
  void ungatedRulesSeeEveryType() {
    String drl = HEADER
        + "rule \"gated\" when Event( type == \"a\" ) then actions.sendEmail(\"t_a\"); end\n"
        + "rule \"not_b\" when Activity() not Event( type == \"b\" ) then actions.sendEmail(\"t_not_b\"); end\n"
        + "rule \"or\" when Event( type == \"c\" || type == \"d\" ) then actions.sendEmail(\"t_cd\"); end\n";
    try (RuleTestKit kit = RuleTestKit.of(DrlRuleEngine.builder().drl("g.drl", drl).build())) {
      assertThat(kit.event("a", "u1")).extracting(Action::template).containsExactlyInAnyOrder("t_a", "t_not_b");
      assertThat(kit.event("b", "u1")).isEmpty();
      assertThat(kit.event("d", "u1")).extracting(Action::template).containsExactlyInAnyOrder("t_cd", "t_not_b");
      assertThat(kit.event("z", "u1")).extracting(Action::template).containsExactly("t_not_b");
    }
    RuleSession s = session(List.of(new DrlSource("g.drl", drl)));
    try {
      assertThat(s.needs("z")).isEqualTo(new RuleSession.Needs(true, false, true));
    } finally {
      s.dispose();
    }
  }

  @Test
  void aConsequenceThatInsertsAnEventReachesRulesGatedToItsType() {
    String drl = HEADER
        + "rule \"a_inserts_b\" when $e : Event( type == \"a\" ) then\n"
        + "  insert(new Event(dev.mkt.MarketingEvent.builder(\"b\", $e.getUserId()).build()));\nend\n"
        + "rule \"b_with_activity\" when Event( type == \"b\" ) Activity() then actions.sendEmail(\"t_b\"); end\n";
    try (RuleTestKit kit = RuleTestKit.of(DrlRuleEngine.builder().drl("i.drl", drl).build())) {
      assertThat(kit.event("a", "u1")).extracting(Action::template).containsExactly("t_b");
      assertThat(kit.event("b", "u1")).extracting(Action::template).containsExactly("t_b");
      assertThat(kit.event("z", "u1")).isEmpty();
    }
    RuleSession s = session(List.of(new DrlSource("i.drl", drl)));
    try {
      assertThat(s.needs("a")).isEqualTo(new RuleSession.Needs(true, false, true));
      assertThat(s.needs("z").none()).isTrue();
    } finally {
      s.dispose();
    }
  }
}
