package dev.mkt.rules.internal;

import static java.util.Objects.requireNonNull;

/**
 * One unit of DRL to compile.
 *
 * @param name how problems refer to it: a path ({@code rules/churn.drl}), a classpath location
 *     ({@code classpath:dev/mkt/rules/seed/churn.drl}) or a generated name ({@code triggers.yaml (generated)})
 * @param text the DRL
 */
public record DrlSource(String name, String text) {
  public DrlSource {
    requireNonNull(name, "name");
    requireNonNull(text, "text");
  }
}
