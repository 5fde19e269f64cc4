package dev.mkt.spring.actuate;

import static java.util.Objects.requireNonNull;

import dev.mkt.rules.DrlRuleEngine;
import dev.mkt.rules.RuleCompilationException;
import dev.mkt.rules.RuleProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link RulesControl} over mkt-rules' {@link DrlRuleEngine}. */
public final class DrlRulesControl implements RulesControl {
  private final DrlRuleEngine engine;

  public DrlRulesControl(DrlRuleEngine engine) {
    this.engine = requireNonNull(engine, "engine");
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("engine", "drl");
    out.put("loaded", engine.ruleNames());
    out.put("reloads", engine.reloads());
    out.put("lastReload", String.valueOf(engine.lastReload()));
    out.put("warnings", problems(engine.warnings()));
    out.put("lastReloadError", engine.lastReloadError().map(this::error).orElse(null));
    return out;
  }

  @Override
  public Map<String, Object> reload() {
    Map<String, Object> out = new LinkedHashMap<>();
    try {
      List<String> names = engine.reload();
      out.put("reloaded", true);
      out.put("rules", names);
    } catch (RuleCompilationException e) {
      out.put("reloaded", false);
      out.put("error", error(e));
    }
    return out;
  }

  private Map<String, Object> error(RuleCompilationException e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("message", e.getMessage());
    m.put("problems", problems(e.problems()));
    return m;
  }

  private static List<String> problems(List<RuleProblem> problems) {
    List<String> out = new ArrayList<>();
    for (RuleProblem p : problems) {
      out.add(p.toString());
    }
    return out;
  }
}
