package dev.mkt.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mkt.Action;
import dev.mkt.ActivitySpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HotReloadTest {
  static final String HEADER = "package t;\nimport dev.mkt.rules.Event;\nimport dev.mkt.Activity;\n"
      + "global dev.mkt.rules.Actions actions;\n";

  static String rule(String name, String type, String template) {
    return HEADER + "rule \"" + name + "\"\nwhen\n  Event( type == \"" + type + "\" )\nthen\n  actions.sendEmail(\""
        + template + "\");\nend\n";
  }

  @TempDir
  Path dir;

  @Test
  void aChangedFileIsRecompiledAndSwappedAtTheNextBatch() throws Exception {
    Files.writeString(dir.resolve("a.drl"), rule("a", "ping", "v1"));
    try (DrlRuleEngine engine = DrlRuleEngine.builder().directory(dir).hotReload(true)
        .reloadDebounce(Duration.ofMillis(50)).build();
        RuleTestKit kit = RuleTestKit.shared(engine)) {
      assertThat(kit.event("ping", "u1")).extracting(Action::template).containsExactly("v1");
      ActivitySpec before = engine.activitySpec();
      Files.writeString(dir.resolve("a.drl"), rule("a", "ping", "v2")
          .replace("Event( type == \"ping\" )", "Event( type == \"ping\" )\n  Activity( count(\"ping\", \"1h\") > 0 )"));
      await().atMost(Duration.ofSeconds(20)).until(() -> engine.reloads() == 1);
      // The kit asks activitySpec() before each event, like the reactor before each batch.
      assertThat(kit.event("ping", "u1")).extracting(Action::template).containsExactly("v2");
      assertThat(engine.activitySpec()).isNotSameAs(before);
      assertThat(engine.activitySpec().counts()).containsKey("ping");
    }
  }

  @Test
  void aBrokenFileKeepsThePreviousRulesAndReportsTheError() throws Exception {
    Files.writeString(dir.resolve("a.drl"), rule("a", "ping", "v1"));
    try (DrlRuleEngine engine = DrlRuleEngine.builder().directory(dir).hotReload(true)
        .reloadDebounce(Duration.ofMillis(50)).build();
        RuleTestKit kit = RuleTestKit.shared(engine)) {
      Files.writeString(dir.resolve("b.drl"), HEADER + "rule \"b\"\nwhen\n  Event( type == \n then\nend\n");
      await().atMost(Duration.ofSeconds(20)).until(() -> engine.lastReloadError().isPresent());
      assertThat(engine.lastReloadError().get().errors().get(0).file()).endsWith("b.drl");
      assertThat(engine.lastReloadError().get().errors().get(0).rule()).isEqualTo("b");
      assertThat(kit.event("ping", "u1")).extracting(Action::template).containsExactly("v1");
      // Fixing the file clears the error.
      Files.writeString(dir.resolve("b.drl"), rule("b", "pong", "p1"));
      await().atMost(Duration.ofSeconds(20)).until(() -> engine.lastReloadError().isEmpty() && engine.reloads() == 1);
      assertThat(kit.event("pong", "u1")).extracting(Action::template).containsExactly("p1");
    }
  }

  @Test
  void perUserStateSurvivesAReload() throws Exception {
    String counting = HEADER + "rule \"third\"\nwhen\n  Event( type == \"ping\" )\n"
        + "  Activity( count(\"ping\", \"1d\") == 3 )\nthen\n  actions.sendEmail(\"%s\");\nend\n";
    Files.writeString(dir.resolve("a.drl"), counting.formatted("before"));
    try (DrlRuleEngine engine = DrlRuleEngine.builder().directory(dir).build();
        RuleTestKit kit = RuleTestKit.shared(engine)) {
      kit.event("ping", "u1");
      kit.event("ping", "u1");
      Files.writeString(dir.resolve("a.drl"), counting.formatted("after"));
      engine.reload();
      assertThat(kit.event("ping", "u1")).extracting(Action::template).containsExactly("after");
    }
  }

  @Test
  void manualReloadOfABrokenDirectoryThrowsAndKeepsTheRules() throws Exception {
    Files.writeString(dir.resolve("a.drl"), rule("a", "ping", "v1"));
    try (DrlRuleEngine engine = DrlRuleEngine.builder().directory(dir).build();
        RuleTestKit kit = RuleTestKit.shared(engine)) {
      Files.writeString(dir.resolve("a.drl"), "rule oops");
      assertThatThrownBy(engine::reload).isInstanceOf(RuleCompilationException.class);
      assertThat(engine.lastReloadError()).isPresent();
      assertThat(kit.event("ping", "u1")).extracting(Action::template).containsExactly("v1");
    }
  }
}
