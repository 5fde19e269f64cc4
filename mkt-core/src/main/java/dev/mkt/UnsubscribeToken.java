package dev.mkt;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * What a verified unsubscribe token says: unsubscribe {@code userId} from {@code channel}. See
 * {@link UnsubscribeTokens#verify(String)}.
 *
 * @param userId the user
 * @param channel the channel, e.g. {@code email}
 * @param expiresAt after this the token is refused
 */
public record UnsubscribeToken(String userId, String channel, Instant expiresAt) {
  public UnsubscribeToken {
    requireNonNull(userId, "userId");
    requireNonNull(channel, "channel");
    requireNonNull(expiresAt, "expiresAt");
  }
}
