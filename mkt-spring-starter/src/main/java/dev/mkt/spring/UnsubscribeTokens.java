package dev.mkt.spring;

/**
 * Verifies the token of an unsubscribe link (the one in an email's {@code List-Unsubscribe} header and footer).
 * The unsubscribe endpoint is served only when a bean of this type exists; mkt's dispatch provides one that
 * checks its signed tokens.
 */
@FunctionalInterface
public interface UnsubscribeTokens {

  /**
   * Who wants to stop receiving what.
   *
   * @param userId the user
   * @param channel the channel to unsubscribe from, e.g. {@code email}
   */
  record Claim(String userId, String channel) {}

  /**
   * Verifies a token.
   *
   * @return the claim it carries
   * @throws InvalidUnsubscribeTokenException if the token is malformed, forged or expired
   */
  Claim verify(String token);

  /** A token that does not verify. */
  class InvalidUnsubscribeTokenException extends dev.mkt.MarketingException {
    private static final long serialVersionUID = 1L;

    public InvalidUnsubscribeTokenException(String message) {
      super(message);
    }
  }
}
