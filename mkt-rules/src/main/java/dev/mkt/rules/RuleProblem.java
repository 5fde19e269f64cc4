package dev.mkt.rules;

/**
 * One problem found while compiling rules: where it is and what it is.
 *
 * @param file the DRL (or trigger file) it is in, as given to the engine (e.g. {@code rules/churn.drl})
 * @param line 1-based line, 0 if unknown
 * @param column 1-based column, 0 if unknown
 * @param rule the rule it is in, or {@code null} if outside any rule
 * @param message what is wrong
 * @param error {@code true} for an error, {@code false} for a warning
 */
public record RuleProblem(String file, int line, int column, String rule, String message, boolean error) {

  /** {@code file:line:column: [rule 'x'] message}, like a compiler. */
  @Override
  public String toString() {
    return file + ":" + line + ":" + column + ": " + (error ? "error" : "warning")
        + (rule != null ? " in rule '" + rule + "'" : "") + ": " + message;
  }
}
