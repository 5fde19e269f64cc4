package dev.mkt.spi;

import dev.mkt.Action;
import dev.mkt.Activity;
import dev.mkt.ActivitySpec;
import dev.mkt.Contact;
import dev.mkt.MarketingEvent;
import java.util.List;
import java.util.Set;

/**
 * Decides the actions for one event. mkt-rules implements it with Drools DRL.
 *
 * <p>Evaluation is pure: no I/O, no wall clock, no randomness. The same event, contact and activity give the
 * same actions with the same idempotency keys, so replay and backtest decide what live processing decided.
 * The reactor calls it from one thread at a time.
 */
public interface RuleEngine extends AutoCloseable {

  /**
   * Decides.
   *
   * @throws dev.mkt.RuleEvaluationException naming the rule and the event, if a rule fails for this event;
   *     the reactor dead-letters the event and goes on
   */
  List<Action> evaluate(MarketingEvent event, Contact contact, Activity activity);

  /**
   * The windowed facts the rules read; the reactor keeps exactly these per user. The reactor asks before every
   * batch, so an engine that reloads its rules can declare new ones; return the same instance while nothing
   * changed (the reactor compares by identity).
   */
  default ActivitySpec activitySpec() {
    return ActivitySpec.empty();
  }

  /**
   * The templates the rules may ask for, as {@code channel/template} (e.g. {@code email/welcome_v1}), so a
   * missing template fails at startup rather than at the first send. Empty if unknown.
   */
  default Set<String> templatesReferenced() {
    return Set.of();
  }

  @Override
  default void close() {}

  /** An engine without rules: every event is logged and counted, nothing is decided. */
  static RuleEngine none() {
    return (event, contact, activity) -> List.of();
  }
}
