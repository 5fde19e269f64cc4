package dev.mkt;

/**
 * A payload field has the wrong JSON type for how it is read, e.g. {@code "score": "high"} read as a number.
 * Rules that read such a field fail for that event only; the engine dead-letters the event with this message
 * and keeps running.
 */
public class PayloadTypeException extends MarketingException {
  private static final long serialVersionUID = 1L;
  private final String eventId;
  private final String field;

  public PayloadTypeException(String eventId, String eventType, String field, String expected, Object actual) {
    super("payload field '" + field + "' of event " + eventId + " (" + eventType + ") must be " + expected
        + ", but was " + describe(actual));
    this.eventId = eventId;
    this.field = field;
  }

  private static String describe(Object actual) {
    if (actual instanceof String) {
      String s = (String) actual;
      return "string \"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + '"';
    }
    return actual == null ? "null" : actual.getClass().getSimpleName().toLowerCase() + " " + actual;
  }

  public String eventId() {
    return eventId;
  }

  public String field() {
    return field;
  }
}
