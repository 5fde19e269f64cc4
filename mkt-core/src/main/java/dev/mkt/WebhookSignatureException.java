package dev.mkt;

import dev.mkt.MarketingException;

/** A webhook request is not authentic: answered 401 by the ingest endpoint. */
public class WebhookSignatureException extends MarketingException {
  private static final long serialVersionUID = 1L;

  /** What was wrong. */
  public enum Reason {
    /** A Standard Webhooks header is missing. */
    MISSING_HEADERS,
    /** A header is malformed (timestamp not a number, id with '.'). */
    MALFORMED_HEADERS,
    /** The timestamp is further from now than the tolerance: stale (a replay) or from a skewed clock. */
    TIMESTAMP_OUT_OF_TOLERANCE,
    /** No signature matches the body under any configured secret: tampered, or signed with another secret. */
    NO_MATCHING_SIGNATURE
  }

  private final Reason reason;

  public WebhookSignatureException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
