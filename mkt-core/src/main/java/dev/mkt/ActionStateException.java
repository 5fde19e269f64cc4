package dev.mkt;

/**
 * An operation on an outbox action that its state does not allow: approving an action that is not awaiting
 * review, replaying one that is not dead, or naming a key the outbox does not have.
 */
public class ActionStateException extends MarketingException {
  private static final long serialVersionUID = 1L;

  public ActionStateException(String message) {
    super(message);
  }
}
