package dev.mkt;

/**
 * Where an action is on its way to delivery. See {@link OutboxEntry}.
 *
 * <pre>
 *   PENDING ──▶ SENDING ──▶ SENT
 *      ▲  │        │ └────▶ RETRYING ──▶ SENDING ...
 *      │  │        ├──────▶ SUPPRESSED (reason)
 *      │  │        ├──────▶ DEAD (reason) ──replay──▶ PENDING
 *      │  │        └──────▶ AWAITING_REVIEW ──approve──▶ PENDING
 *      └──┴── deferred (quiet hours, frequency cap, rate limit, open breakers) ◀──┘    └──reject──▶ SUPPRESSED
 * </pre>
 */
public enum OutboxState {
  /** Waiting to be dispatched at {@link OutboxEntry#dueAt()}: new, scheduled, deferred or approved. */
  PENDING(false),
  /** Held until a human approves or rejects it ({@code reviewRequired}). */
  AWAITING_REVIEW(false),
  /** Claimed by a dispatcher, which is running the gates or talking to a provider. */
  SENDING(false),
  /** A provider accepted it. Terminal. */
  SENT(true),
  /** A delivery attempt failed transiently; the next attempt is due at {@link OutboxEntry#dueAt()}. */
  RETRYING(false),
  /** Not sent on purpose (opt-out, unsubscribe, consent, no address, review rejected), with the reason. Terminal. */
  SUPPRESSED(true),
  /** Given up (retries exhausted, permanent failure, missing template), with the reason. Can be replayed. */
  DEAD(true);

  private final boolean terminal;

  OutboxState(boolean terminal) {
    this.terminal = terminal;
  }

  /** Whether nothing more happens to the entry unless an operator replays it. */
  public boolean isTerminal() {
    return terminal;
  }

  /** Whether a dispatcher may pick the entry up once it is due. */
  public boolean isDispatchable() {
    return this == PENDING || this == RETRYING;
  }
}
