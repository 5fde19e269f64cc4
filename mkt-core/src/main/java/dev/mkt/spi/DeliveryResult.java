package dev.mkt.spi;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * What {@link Channel#deliver} answers: {@link #sent} with the provider's message id, {@link #retryLater} with
 * when and why, or {@link #failed} with why.
 */
public final class DeliveryResult {

  /** The kind of result. */
  public enum Status {
    /** The provider accepted the message. */
    SENT,
    /** A transient problem (connection refused, 5xx, 429): try again later. Counts against the breaker. */
    RETRY,
    /** A permanent problem with this action (rejected address, missing template): dead letter at once. */
    FAILED
  }

  private final Status status;
  private final String providerMessageId;
  private final Instant retryAt;
  private final String reason;

  private DeliveryResult(Status status, String providerMessageId, Instant retryAt, String reason) {
    this.status = status;
    this.providerMessageId = providerMessageId;
    this.retryAt = retryAt;
    this.reason = reason;
  }

  /** Accepted by the provider, which knows it as {@code providerMessageId} (may be {@code null}). */
  public static DeliveryResult sent(String providerMessageId) {
    return new DeliveryResult(Status.SENT, providerMessageId, null, null);
  }

  /**
   * Try again, not before {@code when} (a provider's {@code Retry-After}); {@code null} lets the dispatcher's
   * exponential backoff decide. The dispatcher waits for the later of the two.
   */
  public static DeliveryResult retryLater(Instant when, String reason) {
    return new DeliveryResult(Status.RETRY, null, when, requireNonNull(reason, "reason"));
  }

  /** Try again after the dispatcher's backoff. */
  public static DeliveryResult retryLater(String reason) {
    return retryLater(null, reason);
  }

  /** A permanent failure of this action. */
  public static DeliveryResult failed(String reason) {
    return new DeliveryResult(Status.FAILED, null, null, requireNonNull(reason, "reason"));
  }

  public Status status() { return status; }

  public boolean isSent() {
    return status == Status.SENT;
  }

  /** The provider's id of the message, for {@link Status#SENT}. */
  public Optional<String> providerMessageId() { return Optional.ofNullable(providerMessageId); }

  /** The provider's earliest retry time, for {@link Status#RETRY}. */
  public Optional<Instant> retryAt() { return Optional.ofNullable(retryAt); }

  /** Why it was not sent, for {@link Status#RETRY} and {@link Status#FAILED}. */
  public String reason() { return reason; }

  @Override
  public String toString() {
    switch (status) {
      case SENT: return "sent(" + providerMessageId + ")";
      case RETRY: return "retryLater(" + (retryAt != null ? retryAt + ", " : "") + reason + ")";
      default: return "failed(" + reason + ")";
    }
  }
}
