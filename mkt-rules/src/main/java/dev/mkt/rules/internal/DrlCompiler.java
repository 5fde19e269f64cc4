package dev.mkt.rules.internal;

import dev.mkt.rules.RuleCompilationException;
import dev.mkt.rules.RuleProblem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;
import org.drools.compiler.compiler.DescrBuildError;
import org.drools.compiler.compiler.RuleBuildError;
import org.drools.drl.ast.descr.BaseDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.parser.ParserError;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.io.Resource;
import org.kie.api.io.ResourceType;
import org.kie.internal.builder.CompositeKnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilderConfiguration;
import org.kie.internal.builder.KnowledgeBuilderFactory;
import org.kie.internal.builder.KnowledgeBuilderResult;
import org.kie.internal.builder.ResultSeverity;
import org.kie.internal.io.ResourceFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles DRL with Drools' DRL compiler (the MVEL/Java dialect knowledge builder, not the executable model: it
 * compiles 100 rules several times faster, see docs/benchmarks.md). Consequences are compiled with the JDK's
 * javac when the runtime has one, else with the bundled Eclipse compiler.
 */
public final class DrlCompiler {
  private static final Logger log = LoggerFactory.getLogger(DrlCompiler.class);
  private static final Pattern LINE_COL = Pattern.compile("\\[Line: (\\d+), Column: (\\d+)\\]");
  private static final Pattern PARSER_RULE = Pattern.compile("in rule \"?([^\"\\s]+(?: [^\"]+)?)\"?");
  private static final boolean NATIVE_JAVAC = hasJavac();

  /** A compiled knowledge base. */
  public record Compiled(KieBase kieBase, List<String> ruleNames, List<RuleProblem> warnings) {}

  private DrlCompiler() {}

  private static boolean hasJavac() {
    try {
      return ToolProvider.getSystemJavaCompiler() != null;
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /**
   * Compiles the sources into one knowledge base.
   *
   * @throws RuleCompilationException listing every error with file, line, column and rule
   */
  public static Compiled compile(List<DrlSource> sources, ClassLoader classLoader) {
    KnowledgeBuilderConfiguration conf = KnowledgeBuilderFactory.newKnowledgeBuilderConfiguration(classLoader);
    if (System.getProperty("drools.dialect.default") == null) {
      // Consequences in MVEL unless a rule or package says dialect "java": they run only when a rule fires (rarely,
      // per event), and not compiling them with javac halves the time to compile a rule base from a cold start.
      conf.setProperty("drools.dialect.default", "mvel");
    }
    if (NATIVE_JAVAC && System.getProperty("drools.dialect.java.compiler") == null) {
      conf.setProperty("drools.dialect.java.compiler", "NATIVE");
    }
    KnowledgeBuilder kb = KnowledgeBuilderFactory.newKnowledgeBuilder(conf);
    Map<Resource, DrlSource> byResource = new IdentityHashMap<>();
    CompositeKnowledgeBuilder batch = kb.batch();
    for (DrlSource s : sources) {
      Resource r = ResourceFactory.newByteArrayResource(s.text().getBytes(StandardCharsets.UTF_8));
      r.setSourcePath(sourcePath(s.name(), byResource.size()));
      byResource.put(r, s);
      batch.add(r, ResourceType.DRL);
    }
    try {
      batch.build();
    } catch (RuntimeException e) {
      throw new RuleCompilationException(List.of(new RuleProblem(sources.isEmpty() ? "?" : sources.get(0).name(), 0,
          0, null, "the DRL compiler failed: " + e, true)));
    }
    List<RuleProblem> errors = new ArrayList<>();
    for (KnowledgeBuilderResult r : kb.getResults(ResultSeverity.ERROR)) {
      errors.add(toProblem(r, byResource, sources, true));
    }
    List<RuleProblem> warnings = new ArrayList<>();
    for (KnowledgeBuilderResult r : kb.getResults(ResultSeverity.WARNING)) {
      RuleProblem p = toProblem(r, byResource, sources, false);
      warnings.add(p);
      log.warn("rules: {}", p);
    }
    if (!errors.isEmpty()) {
      // "Parser returned a null Package" repeats a parser error already reported for the same file.
      boolean hasParserError = errors.stream().anyMatch(p -> !p.message().startsWith("Parser returned a null Package"));
      if (hasParserError) {
        errors.removeIf(p -> p.message().startsWith("Parser returned a null Package"));
      }
      List<RuleProblem> all = new ArrayList<>(errors);
      all.addAll(warnings);
      throw new RuleCompilationException(all);
    }
    KieBase kbase = kb.newKieBase();
    TreeSet<String> names = new TreeSet<>();
    for (KiePackage p : kbase.getKiePackages()) {
      for (Rule rule : p.getRules()) {
        names.add(rule.getName());
      }
    }
    return new Compiled(kbase, List.copyOf(names), List.copyOf(warnings));
  }

  private static String sourcePath(String name, int index) {
    // Drools wants a .drl path; keep it unique and recognisable.
    String base = name.replaceAll("[^A-Za-z0-9_./-]", "_");
    return "src" + index + "/" + (base.endsWith(".drl") ? base : base + ".drl");
  }

  private static RuleProblem toProblem(KnowledgeBuilderResult r, Map<Resource, DrlSource> byResource,
      List<DrlSource> sources, boolean error) {
    DrlSource src = r.getResource() == null ? null : byResource.get(r.getResource());
    if (src == null && r.getResource() != null) {
      for (Map.Entry<Resource, DrlSource> e : byResource.entrySet()) {
        if (e.getKey().getSourcePath() != null && e.getKey().getSourcePath().equals(r.getResource().getSourcePath())) {
          src = e.getValue();
        }
      }
    }
    String file = src != null ? src.name() : sources.size() == 1 ? sources.get(0).name() : "?";
    String message = r.getMessage() == null ? r.toString() : r.getMessage();
    int line = r.getLines() != null && r.getLines().length > 0 ? r.getLines()[0] : 0;
    int column = 0;
    String rule = null;
    if (r instanceof ParserError) {
      line = ((ParserError) r).getRow();
      column = ((ParserError) r).getCol() + 1;
      Matcher m = PARSER_RULE.matcher(message);
      if (m.find()) {
        rule = m.group(1);
      }
    } else if (r instanceof DescrBuildError) {
      DescrBuildError d = (DescrBuildError) r;
      column = d.getColumn();
      if (r instanceof RuleBuildError && ((RuleBuildError) r).getRule() != null) {
        rule = ((RuleBuildError) r).getRule().getName();
      }
      BaseDescr parent = d.getParentDescr();
      if (rule == null && parent instanceof RuleDescr) {
        rule = ((RuleDescr) parent).getName();
      }
      BaseDescr descr = d.getDescr();
      if (descr != null && descr.getLine() > 0 && !(descr instanceof RuleDescr)) {
        line = descr.getLine();
        column = descr.getColumn() + 1;
      }
    }
    Matcher lc = LINE_COL.matcher(message);
    if (line <= 0 && lc.find()) {
      line = Integer.parseInt(lc.group(1));
      column = Integer.parseInt(lc.group(2));
    }
    if (rule == null && src != null && line > 0) {
      rule = DrlAnalysis.ruleAtLine(src.text(), line);
    }
    return new RuleProblem(file, Math.max(line, 0), Math.max(column, 0), rule, clean(message), error);
  }

  /** MVEL messages span lines with carets; keep the informative part on one line. */
  private static String clean(String message) {
    StringBuilder sb = new StringBuilder();
    for (String l : message.split("\\R")) {
      String t = l.trim();
      if (t.isEmpty() || t.equals("^") || t.startsWith("[Near") || t.startsWith("[Line:")) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(t);
    }
    return sb.toString();
  }
}
