package dev.mkt;

import static java.util.Objects.requireNonNull;

/** An event that cannot be accepted, with the typed reason. */
public class InvalidEventException extends MarketingException {
  private static final long serialVersionUID = 1L;
  private final RejectReason reason;

  public InvalidEventException(RejectReason reason, String message) {
    super(reason + ": " + message);
    this.reason = requireNonNull(reason);
  }

  public InvalidEventException(RejectReason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = requireNonNull(reason);
  }

  public RejectReason reason() {
    return reason;
  }

  /** The message without the reason prefix. */
  public String detail() {
    String m = getMessage();
    String prefix = reason + ": ";
    return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
  }
}
