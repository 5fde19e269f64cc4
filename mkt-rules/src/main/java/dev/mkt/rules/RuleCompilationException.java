package dev.mkt.rules;

import dev.mkt.MarketingException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Rules did not compile: DRL syntax errors, unknown fact fields or methods, bad window literals, unknown
 * templates, invalid trigger definitions. {@link DrlRuleEngine.Builder#build()} throws it (fail fast at startup);
 * a hot reload keeps the previous rules and reports it through {@link DrlRuleEngine#lastReloadError()}.
 *
 * <p>The message lists every problem as {@code file:line:column: error in rule 'name': message}.
 */
public class RuleCompilationException extends MarketingException {
  private static final long serialVersionUID = 1L;
  private final transient List<RuleProblem> problems;

  public RuleCompilationException(List<RuleProblem> problems) {
    super(describe(problems));
    this.problems = List.copyOf(problems);
  }

  private static String describe(List<RuleProblem> problems) {
    long errors = problems.stream().filter(RuleProblem::error).count();
    return errors + " rule compilation error" + (errors == 1 ? "" : "s") + ":\n  "
        + problems.stream().filter(RuleProblem::error).map(RuleProblem::toString)
            .collect(Collectors.joining("\n  "));
  }

  /** Every problem, errors first; warnings may be included. */
  public List<RuleProblem> problems() {
    return problems;
  }

  /** The errors only. */
  public List<RuleProblem> errors() {
    return problems.stream().filter(RuleProblem::error).collect(Collectors.toList());
  }
}
