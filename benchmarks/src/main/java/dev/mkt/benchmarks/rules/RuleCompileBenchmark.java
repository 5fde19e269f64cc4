package dev.mkt.benchmarks.rules;

import dev.mkt.rules.DrlRuleEngine;
import java.util.concurrent.TimeUnit;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Compiling 100 rules (issue 3: at most 2 s). Each operation compiles 100 distinct rules of the shapes founders
 * write (event type and payload conditions, windowed counts, contact traits, actions with vars and delays) into a
 * ready session.
 *
 * <ul>
 *   <li>{@code mkt}: {@link DrlRuleEngine#builder()}{@code .drl(...).build()}: DRL analysis (activity spec, templates),
 *       Drools' DRL knowledge builder (MVEL constraints, javac consequences), a session.</li>
 *   <li>{@code executable-model}: the same DRL through Drools' executable model
 *       ({@code KieBuilder.buildAll(ExecutableModelProject.class)}), the alternative mkt did not choose.</li>
 * </ul>
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar RuleCompileBenchmark} ({@code compile}: a warm JVM,
 * e.g. a hot reload; {@code firstCompileInFreshJvm}: startup, one shot in each of 3 fresh JVMs).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class RuleCompileBenchmark {
  @Param({"mkt", "executable-model"})
  public String impl;

  @Param("100")
  public int rules;

  private int round;

  static String drl(int n) {
    String[] types = {"feature_usage", "session_duration", "churn_signal", "upgrade", "payment_failed", "signup",
        "page_view", "invite_sent", "export_done", "trial_started"};
    StringBuilder sb = new StringBuilder("package bench;\nimport dev.mkt.Activity;\nimport dev.mkt.Contact;\n"
        + "import dev.mkt.Priority;\nimport dev.mkt.rules.Event;\nglobal dev.mkt.rules.Actions actions;\n");
    for (int i = 0; i < n; i++) {
      String type = types[i % types.length];
      sb.append("\nrule \"rule_").append(i).append("\"\nwhen\n");
      switch (i % 4) {
        case 0:
          sb.append("  $e : Event( type == \"").append(type).append("\", number(\"value\") > ").append(i).append(" )\n")
              .append("  Activity( count(\"").append(type).append("\", \"24h\") > ").append(i % 7 + 1)
              .append(", previousCount(\"").append(type).append("\", \"24h\") <= ").append(i % 7 + 1).append(" )\n");
          break;
        case 1:
          sb.append("  $e : Event( type == \"").append(type).append("\", text(\"plan\") == \"pro\" )\n")
              .append("  Contact( emailVerified, trait(\"locale\") == \"de-DE\" )\n");
          break;
        case 2:
          sb.append("  $e : Event( type == \"").append(type).append("\", number(\"seconds\") < ").append(30 + i)
              .append(" )\n  Activity( streakBelow(\"").append(type).append("\", \"seconds\", ").append(30 + i)
              .append(") == ").append(i % 5 + 2).append(" )\n");
          break;
        default:
          sb.append("  $e : Event( type == \"").append(type).append("\", flag(\"first\") == true )\n")
              .append("  Activity( previousNumber(\"").append(type).append("\", \"score\", 0) <= 0.").append(i % 9 + 1)
              .append(" )\n");
      }
      sb.append("then\n  actions.sendEmail(\"template_").append(i).append("\").var(\"feature\", $e.text(\"feature_name\"))")
          .append(i % 3 == 0 ? ".after(\"" + (i % 5 + 1) + "d\")" : "").append(i % 7 == 0 ? ".priority(Priority.HIGH)" : "")
          .append(";\nend\n");
    }
    return sb.toString();
  }

  /** Steady state: a reload in a warm JVM. */
  @Benchmark
  public Object compile() {
    return doCompile();
  }

  /** Startup: the first compile in a fresh JVM (class loading, JIT cold), the case the 2 s limit is about. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @Warmup(iterations = 0)
  @Measurement(iterations = 1)
  @Fork(value = 3, jvmArgsAppend = {"-Xmx2g"})
  public Object firstCompileInFreshJvm() {
    return doCompile();
  }

  private Object doCompile() {
    // A distinct text per operation, so nothing is cached between runs.
    String text = drl(rules).replace("package bench;", "package bench" + (round++) + ";");
    if (impl.equals("mkt")) {
      DrlRuleEngine e = DrlRuleEngine.builder().drl("bench.drl", text).build();
      if (e.ruleNames().size() != rules) {
        throw new IllegalStateException("compiled " + e.ruleNames().size() + " rules, expected " + rules);
      }
      e.close();
      return e;
    }
    KieServices ks = KieServices.get();
    KieFileSystem kfs = ks.newKieFileSystem();
    ReleaseId rid = ks.newReleaseId("dev.mkt.bench", "rules", "1.0." + round);
    kfs.generateAndWritePomXML(rid);
    kfs.write("src/main/resources/bench/bench.drl", text);
    KieBuilder b = ks.newKieBuilder(kfs).buildAll(org.drools.model.codegen.ExecutableModelProject.class);
    if (b.getResults().hasMessages(Message.Level.ERROR)) {
      throw new IllegalStateException("executable model: " + b.getResults().getMessages());
    }
    KieBase kbase = ks.newKieContainer(rid).getKieBase();
    kbase.newKieSession().dispose();
    ks.getRepository().removeKieModule(rid);
    return kbase;
  }
}
