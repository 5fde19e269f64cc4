package dev.mkt;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * When and how a consent decision was made: an opt-out, an unsubscribe from one channel, or a consent grant.
 *
 * @param at when it happened
 * @param source how it happened, e.g. {@code api}, {@code one-click-unsubscribe}, {@code event:<id>}
 */
public record ConsentRecord(Instant at, String source) {
  public ConsentRecord {
    requireNonNull(at, "at");
    requireNonNull(source, "source");
  }
}
