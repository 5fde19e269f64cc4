package dev.mkt;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The dispatch side of the engine, from {@link Marketing#dispatch()}: what happened to each action, the human
 * review queue, dead letters and their replay. Thread-safe.
 *
 * <pre>{@code
 * for (OutboxEntry e : mkt.dispatch().pendingReview(50)) {
 *   show(e.action());                       // channel, template, vars
 * }
 * mkt.dispatch().approve(key, "founder@example.com");
 * mkt.dispatch().deadLetters(100).forEach(e -> log.warn("{}: {}", e.key(), e.reason()));
 * mkt.dispatch().replay(key);               // after fixing the template or the provider
 * }</pre>
 */
public interface Dispatch {

  /** The action with this idempotency key and its state, if the outbox has it. */
  Optional<OutboxEntry> status(String idempotencyKey);

  /** Actions waiting for a human's approval, oldest first. */
  List<OutboxEntry> pendingReview(int limit);

  /**
   * Approves an action awaiting review: it is dispatched now, through every gate again (an opt-out in the
   * meantime still suppresses it).
   *
   * @throws ActionStateException if the key is unknown or the action is not awaiting review
   */
  OutboxEntry approve(String idempotencyKey, String reviewer);

  /**
   * Rejects an action awaiting review: it is suppressed with {@code review_rejected: <reason>}.
   *
   * @throws ActionStateException if the key is unknown or the action is not awaiting review
   */
  OutboxEntry reject(String idempotencyKey, String reviewer, String reason);

  /** Dead-lettered actions with their reasons, oldest first. */
  List<OutboxEntry> deadLetters(int limit);

  /**
   * Sends a dead-lettered action again, with a fresh retry budget (after fixing what killed it).
   *
   * @throws ActionStateException if the key is unknown or the action is not dead
   */
  OutboxEntry replay(String idempotencyKey);

  /** Counters, outbox states and breaker states. */
  DispatchStats stats();

  /**
   * The primary channel implementation serving {@code channel}, if it is (or wraps) a {@code type}; e.g. the
   * in-app inbox the host application reads: {@code channel("in_app", InAppInbox.class)}.
   */
  <T> Optional<T> channel(String channel, Class<T> type);

  /**
   * Waits until no action is due now and none is in flight (everything due was sent, deferred, suppressed or
   * dead-lettered). For tests, tools and orderly shutdowns.
   *
   * @return whether that happened within the timeout
   */
  boolean awaitIdle(Duration timeout) throws InterruptedException;
}
