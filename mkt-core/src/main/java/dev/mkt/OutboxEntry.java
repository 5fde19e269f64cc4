package dev.mkt;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Objects;

/**
 * An action in the outbox and what has happened to it so far. Immutable: every change of state is a new entry
 * (see the {@code to...} methods), which an {@link dev.mkt.spi.Outbox} stores with a compare-and-set on the
 * state.
 */
public final class OutboxEntry {
  private final Action action;
  private final OutboxState state;
  private final int attempts;
  private final Instant dueAt;
  private final String reason;
  private final String provider;
  private final String providerMessageId;
  private final String reviewer;
  private final Instant createdAt;
  private final Instant updatedAt;

  private OutboxEntry(Builder b) {
    this.action = requireNonNull(b.action, "action");
    this.state = requireNonNull(b.state, "state");
    if (b.attempts < 0) {
      throw new IllegalArgumentException("attempts must be >= 0, but was " + b.attempts);
    }
    this.attempts = b.attempts;
    this.dueAt = requireNonNull(b.dueAt, "dueAt");
    this.reason = b.reason;
    this.provider = b.provider;
    this.providerMessageId = b.providerMessageId;
    this.reviewer = b.reviewer;
    this.createdAt = requireNonNull(b.createdAt, "createdAt");
    this.updatedAt = requireNonNull(b.updatedAt, "updatedAt");
  }

  /** A new {@link OutboxState#PENDING} entry, due at the action's {@code notBefore}. */
  public static OutboxEntry pending(Action action, Instant now) {
    return builder(action).state(OutboxState.PENDING).dueAt(action.notBefore()).createdAt(now).updatedAt(now)
        .build();
  }

  public static Builder builder(Action action) {
    return new Builder(action);
  }

  public Builder toBuilder() {
    return new Builder(action).state(state).attempts(attempts).dueAt(dueAt).reason(reason).provider(provider)
        .providerMessageId(providerMessageId).reviewer(reviewer).createdAt(createdAt).updatedAt(updatedAt);
  }

  public Action action() { return action; }

  /** The action's idempotency key: the entry's identity. */
  public String key() { return action.idempotencyKey(); }

  public OutboxState state() { return state; }

  /** How many times a provider was asked to deliver it. */
  public int attempts() { return attempts; }

  /**
   * When a dispatcher should look at it next ({@code PENDING}, {@code RETRYING}); for {@code SENDING} when the
   * claim expires; otherwise when it reached its state.
   */
  public Instant dueAt() { return dueAt; }

  /**
   * Why it is in its state: {@code quiet_hours}, {@code rate_limited}, {@code opted_out}, {@code no_address},
   * {@code max_retries_exceeded: ...}; {@code null} when there is nothing to say.
   */
  public String reason() { return reason; }

  /** The provider that sent it (or was tried last), e.g. {@code email.smtp}; {@code null} before any attempt. */
  public String provider() { return provider; }

  /** The provider's id of the sent message (SMTP Message-ID, Resend email id). */
  public String providerMessageId() { return providerMessageId; }

  /** Who approved (or rejected) it, if it went through review. */
  public String reviewer() { return reviewer; }

  /** Whether a human approved it. */
  public boolean approved() {
    return reviewer != null && state != OutboxState.SUPPRESSED;
  }

  public Instant createdAt() { return createdAt; }

  public Instant updatedAt() { return updatedAt; }

  // ------------------------------------------------------------ transitions

  /** Claimed by a dispatcher until {@code leaseUntil}. */
  public OutboxEntry toSending(Instant now, Instant leaseUntil) {
    return toBuilder().state(OutboxState.SENDING).dueAt(leaseUntil).updatedAt(now).build();
  }

  /** Deferred to {@code until} without an attempt (quiet hours, caps, rate limit, open breakers). */
  public OutboxEntry toDeferred(Instant now, Instant until, String why) {
    return toBuilder().state(OutboxState.PENDING).dueAt(until).reason(why).updatedAt(now).build();
  }

  /** A provider accepted it. */
  public OutboxEntry toSent(Instant now, String providerId, String messageId) {
    return toBuilder().state(OutboxState.SENT).attempts(attempts + 1).dueAt(now).reason(null)
        .provider(providerId).providerMessageId(messageId).updatedAt(now).build();
  }

  /** An attempt failed transiently; try again at {@code next}. */
  public OutboxEntry toRetrying(Instant now, Instant next, String providerId, String why) {
    return toBuilder().state(OutboxState.RETRYING).attempts(attempts + 1).dueAt(next).provider(providerId)
        .reason(why).updatedAt(now).build();
  }

  /** Not sent on purpose. */
  public OutboxEntry toSuppressed(Instant now, String why) {
    return toBuilder().state(OutboxState.SUPPRESSED).dueAt(now).reason(why).updatedAt(now).build();
  }

  /** Given up; {@code attempted} says whether this step was a delivery attempt. */
  public OutboxEntry toDead(Instant now, String providerId, String why, boolean attempted) {
    return toBuilder().state(OutboxState.DEAD).attempts(attempted ? attempts + 1 : attempts).dueAt(now)
        .provider(providerId != null ? providerId : provider).reason(why).updatedAt(now).build();
  }

  /** Held for review. */
  public OutboxEntry toAwaitingReview(Instant now, String why) {
    return toBuilder().state(OutboxState.AWAITING_REVIEW).dueAt(now).reason(why).updatedAt(now).build();
  }

  /** Approved by {@code reviewer}: due now. */
  public OutboxEntry toApproved(Instant now, String reviewer) {
    return toBuilder().state(OutboxState.PENDING).dueAt(now).reviewer(reviewer).reason("approved")
        .updatedAt(now).build();
  }

  /** Replayed by an operator: pending again with a fresh retry budget. */
  public OutboxEntry toReplayed(Instant now) {
    return toBuilder().state(OutboxState.PENDING).attempts(0).dueAt(now).reason("replayed").updatedAt(now).build();
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof OutboxEntry)) {
      return false;
    }
    OutboxEntry e = (OutboxEntry) o;
    return action.equals(e.action) && state == e.state && attempts == e.attempts && dueAt.equals(e.dueAt)
        && Objects.equals(reason, e.reason) && Objects.equals(provider, e.provider)
        && Objects.equals(providerMessageId, e.providerMessageId) && Objects.equals(reviewer, e.reviewer)
        && createdAt.equals(e.createdAt) && updatedAt.equals(e.updatedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key(), state, attempts, dueAt);
  }

  @Override
  public String toString() {
    return "OutboxEntry{" + key() + " " + state + (reason != null ? " (" + reason + ")" : "") + " attempts="
        + attempts + " dueAt=" + dueAt + (provider != null ? " provider=" + provider : "") + '}';
  }

  /** Builds an {@link OutboxEntry}; for stores that read entries back. */
  public static final class Builder {
    private final Action action;
    private OutboxState state = OutboxState.PENDING;
    private int attempts;
    private Instant dueAt;
    private String reason;
    private String provider;
    private String providerMessageId;
    private String reviewer;
    private Instant createdAt;
    private Instant updatedAt;

    private Builder(Action action) {
      this.action = requireNonNull(action, "action");
    }

    public Builder state(OutboxState state) { this.state = state; return this; }

    public Builder attempts(int attempts) { this.attempts = attempts; return this; }

    public Builder dueAt(Instant dueAt) { this.dueAt = dueAt; return this; }

    public Builder reason(String reason) { this.reason = reason; return this; }

    public Builder provider(String provider) { this.provider = provider; return this; }

    public Builder providerMessageId(String id) { this.providerMessageId = id; return this; }

    public Builder reviewer(String reviewer) { this.reviewer = reviewer; return this; }

    public Builder createdAt(Instant at) { this.createdAt = at; return this; }

    public Builder updatedAt(Instant at) { this.updatedAt = at; return this; }

    public OutboxEntry build() {
      return new OutboxEntry(this);
    }
  }
}
