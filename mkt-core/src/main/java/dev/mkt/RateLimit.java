package dev.mkt;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * At most {@code limit} deliveries on {@code channel} in any sliding {@code period}. A limit on a channel family
 * ({@code social}) applies to each of its channels ({@code social.linkedin}, {@code social.x}) separately.
 * Actions over the limit are deferred until a slot frees, never dropped.
 */
public record RateLimit(String channel, int limit, Duration period) {
  public RateLimit {
    requireNonNull(channel, "channel");
    requireNonNull(period, "period");
    if (channel.isBlank()) {
      throw new IllegalArgumentException("rate limit channel must not be blank");
    }
    if (limit <= 0) {
      throw new IllegalArgumentException("rate limit for " + channel + " must be > 0, but was " + limit);
    }
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("rate limit period for " + channel + " must be > 0, but was " + period);
    }
  }
}
