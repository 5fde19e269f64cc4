package dev.mkt.rules;

/** Test helper: a kit that does not close the shared engine. */
final class RuleTestKitAccess {
  private RuleTestKitAccess() {}

  static RuleTestKit sharedEngine(DrlRuleEngine engine) {
    return RuleTestKit.shared(engine);
  }
}
