/**
 * mkt's Drools DRL rule engine: {@link dev.mkt.rules.DrlRuleEngine} (loading from classpath and directory,
 * compile errors with file:line:column and rule, hot reload), the fact model rules see ({@link dev.mkt.rules.Event},
 * {@link dev.mkt.Contact}, {@link dev.mkt.Activity}), the {@code actions} global ({@link dev.mkt.rules.Actions},
 * {@link dev.mkt.rules.ActionRequest}), triggers from configuration ({@link dev.mkt.rules.Triggers}), and testing
 * tools ({@link dev.mkt.rules.RuleTestKit}, {@link dev.mkt.rules.Backtest}). The shipped seed triggers live at
 * {@code classpath:dev/mkt/rules/seed/}. Guide: docs/rules.md.
 */
package dev.mkt.rules;
