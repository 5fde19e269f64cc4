package dev.mkt;

/**
 * A rule failed for one event: a payload field of the wrong type, a rule that fires too often for one event
 * (a loop), an exception in a consequence. The reactor dead-letters the event with this message, naming the
 * rule and the event, and keeps running.
 */
public class RuleEvaluationException extends MarketingException {
  private static final long serialVersionUID = 1L;
  private final String rule;
  private final String eventId;

  public RuleEvaluationException(String rule, String eventId, String message, Throwable cause) {
    super("rule '" + rule + "' failed on event " + eventId + ": " + message, cause);
    this.rule = rule;
    this.eventId = eventId;
  }

  /** The rule's name, or {@code ?} when the engine could not tell. */
  public String rule() {
    return rule;
  }

  public String eventId() {
    return eventId;
  }
}
