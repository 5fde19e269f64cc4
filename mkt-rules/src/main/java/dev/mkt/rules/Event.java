package dev.mkt.rules;

import dev.mkt.MarketingEvent;
import dev.mkt.PayloadTypeException;
import java.time.Instant;
import java.util.Map;

/**
 * The current event as rules see it: the {@code Event} fact. A thin, immutable view of a {@link MarketingEvent}
 * with typed payload access.
 *
 * <pre>
 * $e : Event( type == "churn_signal", number("score") &gt; 0.8 )
 * $e : Event( type == "signup", flag("email_verified") == true )
 * actions.sendEmail("pro_tip_v1").var("feature", $e.text("feature_name"));
 * </pre>
 *
 * <p>Typed reads never guess: a field of the wrong JSON type (e.g. {@code "score": "high"} read with
 * {@link #number}) throws {@link PayloadTypeException}; the engine turns it into a
 * {@link dev.mkt.RuleEvaluationException} naming the rule and the event, and the reactor dead-letters that event.
 * An absent field is not an error: {@link #number} gives {@code NaN} (which no comparison matches),
 * {@link #text} {@code null}, {@link #flag} {@code false}.
 */
public final class Event {
  private final MarketingEvent event;

  /** Wraps an event. */
  public Event(MarketingEvent event) {
    this.event = event;
  }

  /** The underlying event. */
  public MarketingEvent getEvent() {
    return event;
  }

  /** The event id (the deduplication key). */
  public String getId() {
    return event.id();
  }

  /** The event type, e.g. {@code feature_usage}. */
  public String getType() {
    return event.type();
  }

  public String getUserId() {
    return event.userId();
  }

  /** The session, or {@code null}. */
  public String getSessionId() {
    return event.sessionId();
  }

  /** Event time; "now" for the rules. */
  public Instant getTimestamp() {
    return event.timestamp();
  }

  /** The raw payload, unmodifiable. */
  public Map<String, Object> getPayload() {
    return event.payload();
  }

  /** Whether the payload has the field. */
  public boolean has(String field) {
    return event.has(field);
  }

  /** The raw payload value, or {@code null}. */
  public Object get(String field) {
    return event.get(field);
  }

  /**
   * A numeric payload field; {@code NaN} if absent or {@code null}, so that no comparison matches.
   *
   * @throws PayloadTypeException if present and not a number
   */
  public double number(String field) {
    Object v = event.get(field);
    if (v == null) {
      return Double.NaN;
    }
    if (v instanceof Number) {
      return ((Number) v).doubleValue();
    }
    throw new PayloadTypeException(event.id(), event.type(), field, "a number", v);
  }

  /**
   * A string payload field, or {@code null} if absent.
   *
   * @throws PayloadTypeException if present and not a string
   */
  public String text(String field) {
    Object v = event.get(field);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw new PayloadTypeException(event.id(), event.type(), field, "a string", v);
  }

  /**
   * A boolean payload field; {@code false} if absent.
   *
   * @throws PayloadTypeException if present and not a boolean (the string {@code "true"} is not a boolean)
   */
  public boolean flag(String field) {
    Object v = event.get(field);
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    throw new PayloadTypeException(event.id(), event.type(), field, "a boolean", v);
  }

  @Override
  public String toString() {
    return "Event{" + event.type() + " " + event.id() + " user=" + event.userId() + '}';
  }
}
