package dev.mkt;

/** An unsubscribe token that is malformed, forged or expired. The message never echoes the token. */
public class InvalidUnsubscribeTokenException extends MarketingException {
  private static final long serialVersionUID = 1L;

  /** Why the token was refused. */
  public enum Reason { MALFORMED, BAD_SIGNATURE, EXPIRED }

  private final Reason reason;

  public InvalidUnsubscribeTokenException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
