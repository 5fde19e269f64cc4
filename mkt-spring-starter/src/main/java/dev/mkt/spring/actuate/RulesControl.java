package dev.mkt.spring.actuate;

import java.util.Map;

/**
 * What the {@code marketing} endpoint shows and does about the rules, independent of the rule engine (so the
 * endpoint loads without mkt-rules).
 */
public interface RulesControl {

  /** Rules loaded, reloads, the last reload error. */
  Map<String, Object> describe();

  /**
   * Recompiles the rules now. A failure keeps the previous rules and is answered, not thrown.
   *
   * @return {@code reloaded} and the rule names, or the error
   */
  Map<String, Object> reload();
}
