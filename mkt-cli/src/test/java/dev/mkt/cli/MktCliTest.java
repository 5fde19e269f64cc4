package dev.mkt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MktCliTest {
  @TempDir
  Path dir;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = MktCli.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  static final String EVENTS = String.join("\n",
      "{\"id\":\"e1\",\"type\":\"signup\",\"userId\":\"u1\",\"timestamp\":\"2026-03-01T09:00:00Z\",\"payload\":{\"email_verified\":true}}",
      "{\"id\":\"e2\",\"type\":\"payment_failed\",\"userId\":\"u2\",\"sessionId\":\"s1\",\"timestamp\":\"2026-03-01T09:01:00Z\",\"payload\":{\"retry_count\":1}}",
      "{\"id\":\"e2\",\"type\":\"payment_failed\",\"userId\":\"u2\",\"sessionId\":\"s1\",\"timestamp\":\"2026-03-01T09:01:00Z\",\"payload\":{\"retry_count\":1}}",
      "this is not json",
      "{\"id\":\"e4\",\"type\":\"churn_signal\",\"userId\":\"u3\",\"timestamp\":\"2026-03-01T09:02:00Z\",\"payload\":{\"score\":\"high\"}}",
      "{\"id\":\"e5\",\"type\":\"churn_signal\",\"userId\":\"u3\",\"timestamp\":\"2026-03-01T09:03:00Z\",\"payload\":{\"score\":0.93}}",
      "{\"type\":\"signup\",\"userId\":\"u9\",\"timestamp\":\"2026-03-01T09:04:00Z\"}",
      "");

  List<JsonNode> lines(Path file) throws Exception {
    ObjectMapper m = new ObjectMapper();
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(file)) {
      out.add(m.readTree(l));
    }
    return out;
  }

  @Test
  void replayWithTheSeedRulesWritesOneJsonLinePerAction() throws Exception {
    Path events = Files.writeString(dir.resolve("events.jsonl"), EVENTS);
    Path out = dir.resolve("actions.jsonl");
    Run r = run("replay", "--events", events.toString(), "--out", out.toString(), "--lenient");
    assertThat(r.code()).isEqualTo(0);
    List<JsonNode> actions = lines(out);
    assertThat(actions).hasSize(3 + 1 + 2);
    JsonNode welcome2 = actions.get(1);
    assertThat(welcome2.get("rule").asText()).isEqualTo("welcome");
    assertThat(welcome2.get("userId").asText()).isEqualTo("u1");
    assertThat(welcome2.get("eventId").asText()).isEqualTo("e1");
    assertThat(welcome2.get("action").asText()).isEqualTo("send_email");
    assertThat(welcome2.get("template").asText()).isEqualTo("welcome_day2");
    assertThat(welcome2.get("priority").asText()).isEqualTo("normal");
    assertThat(welcome2.get("notBefore").asText()).isEqualTo("2026-03-03T09:00:00Z");
    assertThat(welcome2.get("idempotencyKey").asText()).isEqualTo("welcome:u1:once:email/welcome_day2");
    JsonNode task = actions.get(4);
    assertThat(task.get("action").asText()).isEqualTo("create_task");
    assertThat(task.get("task").asText()).isEqualTo("retention_review");
    assertThat(task.get("priority").asText()).isEqualTo("high");
  }

  @Test
  void replayReportsPerRuleCountsOnStdout() throws Exception {
    Path events = Files.writeString(dir.resolve("events.jsonl"), EVENTS);
    Run r = run("replay", "--events", events.toString(), "--out", dir.resolve("a.jsonl").toString(), "--lenient");
    assertThat(r.out()).containsPattern("welcome\\s+3\\s+3")
        .containsPattern("payment_recovery\\s+1\\s+1")
        .containsPattern("churn\\s+2\\s+2")
        .containsPattern("power_user\\s+0\\s+0")
        .contains("duplicates 1").contains("bad lines 3").contains("actions written 6");
  }

  @Test
  void badLinesAreReportedWithTheirNumberAndMakeTheExitCodeNonZero() throws Exception {
    Path events = Files.writeString(dir.resolve("events.jsonl"), EVENTS);
    Path out = dir.resolve("actions.jsonl");
    Run r = run("replay", "--events", events.toString(), "--out", out.toString());
    assertThat(r.code()).isEqualTo(MktCli.BAD_INPUT);
    assertThat(r.err()).contains("line 4: INVALID_JSON")
        .containsPattern("line 5: rule 'churn' failed on event e4: .*score.*\"high\"")
        .contains("line 7: INVALID_JSON: missing 'id'");
    // The good lines were still replayed.
    assertThat(lines(out)).hasSize(6);
  }

  @Test
  void replayIsDeterministic() throws Exception {
    Path events = Files.writeString(dir.resolve("events.jsonl"), EVENTS);
    run("replay", "--events", events.toString(), "--out", dir.resolve("a.jsonl").toString(), "--lenient");
    run("replay", "--events", events.toString(), "--out", dir.resolve("b.jsonl").toString(), "--lenient");
    assertThat(Files.readString(dir.resolve("a.jsonl"))).isEqualTo(Files.readString(dir.resolve("b.jsonl")));
  }

  @Test
  void replayWithARulesDirectory() throws Exception {
    Path rules = Files.createDirectory(dir.resolve("rules"));
    Files.writeString(rules.resolve("triggers.yaml"), """
        triggers:
          - { id: first_payment_failure, event: payment_failed, condition: { retry_count: { eq: 1 } },
              action: create_ticket, priority: high, delay: 1h }
        """);
    Path events = Files.writeString(dir.resolve("events.jsonl"), EVENTS);
    Path out = dir.resolve("actions.jsonl");
    Run r = run("replay", "--rules", rules.toString(), "--events", events.toString(), "--out", out.toString(),
        "--lenient");
    assertThat(r.code()).isEqualTo(0);
    List<JsonNode> actions = lines(out);
    assertThat(actions).singleElement().satisfies(a -> {
      assertThat(a.get("rule").asText()).isEqualTo("first_payment_failure");
      assertThat(a.get("notBefore").asText()).isEqualTo("2026-03-01T10:01:00Z");
    });
  }

  @Test
  void replayWithRulesThatDoNotCompileWritesNothing() throws Exception {
    Path rules = Files.createDirectory(dir.resolve("rules"));
    Files.writeString(rules.resolve("bad.drl"), "package x;\nrule \"r\" when Foo( then end");
    Path events = Files.writeString(dir.resolve("events.jsonl"), EVENTS);
    Path out = dir.resolve("actions.jsonl");
    Run r = run("replay", "--rules", rules.toString(), "--events", events.toString(), "--out", out.toString());
    assertThat(r.code()).isEqualTo(MktCli.FAILED);
    assertThat(r.err()).contains("bad.drl:2:");
    assertThat(out).doesNotExist();
  }

  @Test
  void rulesCheckReportsRulesActivityAndTemplates() throws Exception {
    Path rules = Files.createDirectory(dir.resolve("rules"));
    Files.writeString(rules.resolve("triggers.yaml"), """
        - { id: power, event: feature_usage, condition: { count: 5, window: 24h }, action: send_email, template: tip }
        """);
    Run r = run("rules", "check", rules.toString(), "--show-generated");
    assertThat(r.code()).isEqualTo(0);
    assertThat(r.out()).contains("OK: 1 rules compiled").contains("rule power")
        .contains("activity count feature_usage over 24h (keeps 7 timestamps per user)")
        .contains("template email/tip")
        .contains("rule \"power\"").contains("count(\"feature_usage\", \"24h\") > 5");
  }

  @Test
  void rulesCheckReportsErrorsWithFileLineAndRule() throws Exception {
    Path rules = Files.createDirectory(dir.resolve("rules"));
    Files.writeString(rules.resolve("mine.drl"), "package x;\nimport dev.mkt.rules.Event;\n"
        + "rule \"typo\"\nwhen\n  Event( tpye == \"a\" )\nthen\nend\n");
    Run r = run("rules", "check", rules.toString());
    assertThat(r.code()).isEqualTo(MktCli.BAD_INPUT);
    assertThat(r.err()).containsPattern("mine\\.drl:5:\\d+: error in rule 'typo': .*tpye").contains("FAILED: 1 error");
  }

  @Test
  void missingRequiredOptionIsAUsageError() {
    Run r = run("replay", "--events", "x.jsonl");
    assertThat(r.code()).isEqualTo(MktCli.FAILED);
    assertThat(r.err()).contains("--out");
  }
}
