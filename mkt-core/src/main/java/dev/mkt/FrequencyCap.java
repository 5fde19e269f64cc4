package dev.mkt;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * At most {@code max} deliveries to one user on {@code channel} (or any channel of that family, e.g.
 * {@code social}) in any sliding {@code per}. Protects users from a burst of rules firing at once. Actions over
 * the cap are deferred until the oldest send leaves the window; {@link Priority#HIGH} actions are not capped.
 */
public record FrequencyCap(String channel, int max, Duration per) {
  public FrequencyCap {
    requireNonNull(channel, "channel");
    requireNonNull(per, "per");
    if (channel.isBlank()) {
      throw new IllegalArgumentException("frequency cap channel must not be blank");
    }
    if (max <= 0) {
      throw new IllegalArgumentException("frequency cap for " + channel + " must be > 0, but was " + max);
    }
    if (per.isNegative() || per.isZero()) {
      throw new IllegalArgumentException("frequency cap period for " + channel + " must be > 0, but was " + per);
    }
  }

  /** {@code max} per {@code per} on {@code channel}. */
  public static FrequencyCap of(String channel, int max, Duration per) {
    return new FrequencyCap(channel, max, per);
  }
}
