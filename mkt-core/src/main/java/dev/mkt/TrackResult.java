package dev.mkt;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;

/**
 * The answer of {@link Marketing#trackMarketingEvent}: {@link Status#ACCEPTED} with the log position,
 * {@link Status#DUPLICATE}, or {@link Status#REJECTED} with a typed {@link RejectReason}.
 *
 * <p>{@code ACCEPTED} means the event is in the log's write path and the reactor will see it. To wait until it
 * is on disk, use {@link #durable()}: it completes when the record is fsynced under the configured
 * {@link FsyncPolicy} (see there for what each policy promises).
 */
public final class TrackResult {
  /** The outcome. */
  public enum Status { ACCEPTED, DUPLICATE, REJECTED }

  private final Status status;
  private final String eventId;
  private final long position;
  private final RejectReason reason;
  private final String message;
  private final LongFunction<CompletableFuture<Void>> durability;

  private TrackResult(Status status, String eventId, long position, RejectReason reason, String message,
      LongFunction<CompletableFuture<Void>> durability) {
    this.status = status;
    this.eventId = eventId;
    this.position = position;
    this.reason = reason;
    this.message = message;
    this.durability = durability;
  }

  /** An accepted event at {@code position}; {@code durability} maps the position to its fsync future. */
  public static TrackResult accepted(String eventId, long position,
      LongFunction<CompletableFuture<Void>> durability) {
    return new TrackResult(Status.ACCEPTED, eventId, position, null, null, requireNonNull(durability));
  }

  public static TrackResult duplicate(String eventId) {
    return new TrackResult(Status.DUPLICATE, eventId, -1, null, null, null);
  }

  public static TrackResult rejected(String eventId, RejectReason reason, String message) {
    return new TrackResult(Status.REJECTED, eventId, -1, requireNonNull(reason), message, null);
  }

  public Status status() { return status; }

  public boolean isAccepted() { return status == Status.ACCEPTED; }

  public boolean isDuplicate() { return status == Status.DUPLICATE; }

  public boolean isRejected() { return status == Status.REJECTED; }

  /** The event's id (generated if the caller gave none), or {@code null} if the input had none to read. */
  public String eventId() { return eventId; }

  /** The log position (offset) of an accepted event; -1 otherwise. */
  public long position() { return position; }

  /** Why the event was rejected. */
  public Optional<RejectReason> reason() { return Optional.ofNullable(reason); }

  /** A human-readable explanation of the rejection, naming the field and the bad value. */
  public Optional<String> message() { return Optional.ofNullable(message); }

  /**
   * Completes when the accepted record is durable under the log's fsync policy. For a duplicate or rejected
   * event it is already complete: nothing was written.
   */
  public CompletableFuture<Void> durable() {
    return durability == null ? CompletableFuture.completedFuture(null) : durability.apply(position);
  }

  @Override
  public String toString() {
    switch (status) {
      case ACCEPTED: return "ACCEPTED{id=" + eventId + ", position=" + position + '}';
      case DUPLICATE: return "DUPLICATE{id=" + eventId + '}';
      default: return "REJECTED{id=" + eventId + ", reason=" + reason + ", message=" + message + '}';
    }
  }
}
