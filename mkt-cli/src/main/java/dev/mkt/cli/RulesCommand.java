package dev.mkt.cli;

import dev.mkt.ActivitySpec;
import dev.mkt.internal.Durations;
import dev.mkt.rules.DrlRuleEngine;
import dev.mkt.rules.RuleCompilationException;
import dev.mkt.rules.RuleProblem;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mkt rules ...}. */
@Command(name = "rules", mixinStandardHelpOptions = true, description = "Work with rule files.",
    subcommands = {RulesCommand.Check.class})
final class RulesCommand implements Runnable {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code mkt rules check <dir>}: compile and report. */
  @Command(name = "check", mixinStandardHelpOptions = true,
      description = {"Compile the .drl and trigger files (triggers.yaml, *.triggers.yaml|json) of a directory and "
          + "report errors with file:line:column and rule, the rules, the activity they keep per user and the "
          + "templates they ask for.",
          "Exit code 0 if they compile, 1 if not, 2 if the directory cannot be read."})
  static final class Check implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<dir>", description = "The rules directory.")
    Path dir;

    @Option(names = "--with-seed", description = "Compile together with the shipped seed rules.")
    boolean withSeed;

    @Option(names = "--show-generated", description = "Print the DRL generated from trigger files.")
    boolean showGenerated;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (!Files.isDirectory(dir)) {
        err.println("mkt rules check: " + dir + " is not a directory");
        return MktCli.FAILED;
      }
      long t0 = System.nanoTime();
      try (DrlRuleEngine engine = DrlRuleEngine.builder().directory(dir).seedRules(withSeed).build()) {
        long ms = (System.nanoTime() - t0) / 1_000_000;
        for (RuleProblem w : engine.warnings()) {
          err.println(w);
        }
        out.println("OK: " + engine.ruleNames().size() + " rules compiled in " + ms + " ms");
        for (String r : engine.ruleNames()) {
          out.println("  rule " + r);
        }
        ActivitySpec spec = engine.activitySpec();
        spec.counts().forEach((type, c) -> out.println("  activity count " + type + " over "
            + window(c.window()) + " (keeps " + c.capacity() + " timestamps per user)"));
        spec.histories().forEach((type, fields) -> fields.forEach((f, d) ->
            out.println("  activity history " + type + "." + f + " (keeps " + d + " values per user)")));
        for (String t : engine.templatesReferenced()) {
          out.println("  template " + t);
        }
        if (showGenerated) {
          for (Map.Entry<String, String> g : engine.generatedDrl().entrySet()) {
            out.println();
            out.println("// ---- " + g.getKey());
            out.print(g.getValue());
          }
        }
        return MktCli.OK;
      } catch (RuleCompilationException e) {
        for (RuleProblem p : e.problems()) {
          err.println(p);
        }
        long errors = e.errors().size();
        err.println("FAILED: " + errors + " error" + (errors == 1 ? "" : "s"));
        return MktCli.BAD_INPUT;
      }
    }

    /** Windows as rules write them: hours rather than days ({@code 24h}, {@code 48h}, {@code 30m}). */
    private static String window(java.time.Duration d) {
      long ms = d.toMillis();
      return ms % 3_600_000L == 0 && ms > 0 ? ms / 3_600_000L + "h" : Durations.format(d);
    }
  }
}
