package dev.mkt.spi;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A {@link ConsentGate}'s answer.
 *
 * @param outcome allow, suppress (terminal, with the reason) or defer (check again at {@code until})
 * @param reason why it was not allowed, e.g. {@code no_consent:marketing_email}; {@code null} for allow
 * @param until when to check again, for {@link Outcome#DEFER}
 */
public record ConsentVerdict(Outcome outcome, String reason, Instant until) {
  private static final ConsentVerdict ALLOW = new ConsentVerdict(Outcome.ALLOW, null, null);

  /** The kinds of verdict. */
  public enum Outcome { ALLOW, SUPPRESS, DEFER }

  public ConsentVerdict {
    requireNonNull(outcome, "outcome");
    if (outcome != Outcome.ALLOW) {
      requireNonNull(reason, "reason");
    }
    if (outcome == Outcome.DEFER) {
      requireNonNull(until, "until");
    }
  }

  public static ConsentVerdict allow() {
    return ALLOW;
  }

  /** Never send this action; the outbox records it as suppressed with {@code reason}. */
  public static ConsentVerdict suppress(String reason) {
    return new ConsentVerdict(Outcome.SUPPRESS, reason, null);
  }

  /** Not yet (e.g. awaiting a double opt-in confirmation): check again at {@code until}. */
  public static ConsentVerdict defer(Instant until, String reason) {
    return new ConsentVerdict(Outcome.DEFER, reason, until);
  }

  public boolean allowed() {
    return outcome == Outcome.ALLOW;
  }
}
