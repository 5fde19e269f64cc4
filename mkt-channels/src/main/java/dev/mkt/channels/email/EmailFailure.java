package dev.mkt.channels.email;

/** A permanent problem composing or sending one email: the action is dead-lettered with {@link #reason()}. */
final class EmailFailure extends Exception {
  private static final long serialVersionUID = 1L;

  EmailFailure(String reason) {
    super(reason, null, false, false);
  }

  String reason() {
    return getMessage();
  }
}
