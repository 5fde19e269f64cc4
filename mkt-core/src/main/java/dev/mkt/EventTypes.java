package dev.mkt;

/**
 * Well-known event types. Types are open strings: an application may track any type it likes, and rules
 * may match on it. These constants name the types mkt's shipped rules understand.
 */
public final class EventTypes {
  /** A new account. Payload: {@code email}, {@code email_verified} (boolean). */
  public static final String SIGNUP = "signup";
  /** Use of a feature. Payload: {@code feature_name}. */
  public static final String FEATURE_USAGE = "feature_usage";
  /** A churn model's verdict. Payload: {@code score} (0..1). */
  public static final String CHURN_SIGNAL = "churn_signal";
  /** A plan upgrade. Payload: {@code plan}, optionally {@code mrr}. */
  public static final String UPGRADE = "upgrade";
  /** A failed charge. Payload: {@code retry_count} (1 for the first retry). */
  public static final String PAYMENT_FAILED = "payment_failed";
  /** A finished session. Payload: {@code seconds}. */
  public static final String SESSION_DURATION = "session_duration";
  /** An anomaly detector's verdict on a session. Payload: {@code score} (0..1). */
  public static final String SESSION_ANOMALY = "session_anomaly";

  private EventTypes() {}
}
