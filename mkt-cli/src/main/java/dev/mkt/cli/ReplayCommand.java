package dev.mkt.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mkt.Action;
import dev.mkt.ActionType;
import dev.mkt.InvalidEventException;
import dev.mkt.MarketingEvent;
import dev.mkt.internal.EventCodec;
import dev.mkt.rules.Backtest;
import dev.mkt.rules.DrlRuleEngine;
import dev.mkt.rules.RuleCompilationException;
import dev.mkt.rules.RuleProblem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mkt replay}: backtest rules over a recorded event file. */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = {"Backtest rules over recorded events: no I/O, no clock waits. Events go through the engine's "
        + "state, deduplication (the same id twice is one event) and rules; each action the outbox would keep "
        + "(one per idempotency key) is written as one JSON line. Per-rule counts go to stdout, bad lines to stderr "
        + "with their line number.",
        "Exit code 0 on success; 1 if any line was bad (unless --lenient); 2 if the rules do not compile or a "
            + "file cannot be read or written."})
final class ReplayCommand implements Callable<Integer> {
  @Option(names = "--rules", paramLabel = "<dir>",
      description = "Rules directory (.drl and trigger files). Default: the shipped seed rules.")
  Path rules;

  @Option(names = "--with-seed", description = "With --rules: include the shipped seed rules as well.")
  boolean withSeed;

  @Option(names = "--events", required = true, paramLabel = "<events.jsonl>",
      description = "One MarketingEvent JSON per line: id, type, userId, sessionId, timestamp (ISO-8601), payload.")
  Path events;

  @Option(names = "--out", required = true, paramLabel = "<actions.jsonl>",
      description = "Where to write the decided actions, one JSON per line (replaced only when the run completes).")
  Path out;

  @Option(names = "--lenient", description = "Exit 0 even if some lines were bad (they are still reported).")
  boolean lenient;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  private static final ObjectMapper MAPPER = EventCodec.shared().mapper();

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.isRegularFile(events)) {
      err.println("mkt replay: events file " + events + " does not exist");
      return MktCli.FAILED;
    }
    DrlRuleEngine engine;
    try {
      DrlRuleEngine.Builder b = DrlRuleEngine.builder();
      if (rules == null) {
        b.seedRules(true);
      } else {
        if (!Files.isDirectory(rules)) {
          err.println("mkt replay: rules directory " + rules + " does not exist");
          return MktCli.FAILED;
        }
        b.directory(rules).seedRules(withSeed);
      }
      engine = b.build();
    } catch (RuleCompilationException e) {
      for (RuleProblem p : e.problems()) {
        err.println(p);
      }
      err.println("mkt replay: the rules do not compile; nothing was replayed");
      return MktCli.FAILED;
    }
    Path dir = out.toAbsolutePath().getParent();
    Path tmp = null;
    long lineNo = 0;
    long bad = 0;
    long written = 0;
    Backtest bt = Backtest.of(engine);
    try {
      if (dir != null) {
        Files.createDirectories(dir);
      }
      tmp = Files.createTempFile(dir, out.getFileName().toString(), ".part");
      try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(events),
          StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)));
          OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(tmp));
          JsonGenerator gen = MAPPER.getFactory().createGenerator(os)) {
        gen.setRootValueSeparator(null);
        String line;
        while (true) {
          try {
            line = in.readLine();
          } catch (CharacterCodingException e) {
            lineNo++;
            err.println("line " + lineNo + ": invalid UTF-8; the rest of the file cannot be read reliably");
            bad++;
            break;
          }
          if (line == null) {
            break;
          }
          lineNo++;
          if (line.isBlank()) {
            continue;
          }
          MarketingEvent e;
          try {
            e = parse(line);
          } catch (InvalidEventException ex) {
            err.println("line " + lineNo + ": " + ex.getMessage());
            bad++;
            continue;
          }
          Backtest.Outcome o = bt.accept(e);
          if (o.status() == Backtest.Status.FAILED) {
            err.println("line " + lineNo + ": " + o.error().getMessage());
            bad++;
            continue;
          }
          for (Action a : o.queued()) {
            write(gen, a);
            gen.writeRaw('\n');
            written++;
          }
        }
      }
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      tmp = null;
    } catch (IOException e) {
      err.println("mkt replay: " + e);
      return MktCli.FAILED;
    } finally {
      engine.close();
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort
        }
      }
    }
    report(stdout, engine, bt, lineNo, bad, written);
    return bad > 0 && !lenient ? MktCli.BAD_INPUT : MktCli.OK;
  }

  private void report(PrintWriter stdout, DrlRuleEngine engine, Backtest bt, long lines, long bad, long written) {
    Map<String, long[]> counts = new TreeMap<>();
    for (String r : engine.ruleNames()) {
      counts.put(r, new long[2]);
    }
    counts.putAll(bt.ruleCounts());
    int width = Math.max(4, counts.keySet().stream().mapToInt(String::length).max().orElse(4));
    stdout.printf("%-" + width + "s  %8s  %8s%n", "rule", "actions", "decided");
    counts.forEach((r, c) -> stdout.printf("%-" + width + "s  %8d  %8d%n", r, c[1], c[0]));
    stdout.printf("lines %d, events %d, duplicates %d, bad lines %d, actions written %d to %s%n", lines,
        bt.events(), bt.duplicates(), bad, written, out);
  }

  /** Parses one line, requiring the fields that make a replay deterministic. */
  static MarketingEvent parse(String line) {
    JsonNode root;
    try {
      root = MAPPER.readTree(line);
    } catch (JsonProcessingException ex) {
      throw new InvalidEventException(dev.mkt.RejectReason.INVALID_JSON, ex.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new InvalidEventException(dev.mkt.RejectReason.INVALID_JSON, "an event must be a JSON object");
    }
    for (String f : new String[] {"id", "type", "userId", "timestamp"}) {
      if (!root.hasNonNull(f) || root.get(f).asText().isBlank()) {
        throw new InvalidEventException(f.equals("type") ? dev.mkt.RejectReason.MISSING_TYPE
            : f.equals("userId") ? dev.mkt.RejectReason.MISSING_USER_ID : dev.mkt.RejectReason.INVALID_JSON,
            "missing '" + f + "': replay needs id, type, userId and timestamp on every event");
      }
    }
    return EventCodec.shared().fromTree(root);
  }

  static void write(JsonGenerator g, Action a) throws IOException {
    g.writeStartObject();
    g.writeStringField("rule", a.rule());
    g.writeStringField("userId", a.userId());
    g.writeStringField("eventId", a.eventId());
    g.writeStringField("action", a.type().wireName());
    g.writeStringField(a.type() == ActionType.CREATE_TASK ? "task" : "template", a.template());
    g.writeStringField("channel", a.channel());
    g.writeStringField("priority", a.priority().name().toLowerCase(java.util.Locale.ROOT));
    g.writeStringField("notBefore", a.notBefore().toString());
    g.writeStringField("idempotencyKey", a.idempotencyKey());
    if (!a.vars().isEmpty()) {
      g.writeObjectField("vars", a.vars());
    }
    if (a.reviewRequired()) {
      g.writeBooleanField("reviewRequired", true);
    }
    g.writeEndObject();
  }
}
