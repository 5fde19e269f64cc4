package dev.mkt;

import java.util.List;

/**
 * The engine: the one object a product backend talks to. Thread-safe. Build one per application with
 * {@link #builder()} and {@link #close()} it on shutdown.
 *
 * <pre>{@code
 * try (Marketing mkt = Marketing.builder()
 *     .dataDirectory(Path.of("mkt-data"))
 *     .ruleEngine(DrlRuleEngine.fromClasspath("rules/"))   // mkt-rules
 *     .build()) {
 *   TrackResult r = mkt.trackMarketingEvent(
 *       MarketingEvent.builder(EventTypes.SIGNUP, "user-42").put("email_verified", true).build());
 * }
 * }</pre>
 *
 * <p>{@code trackMarketingEvent} validates, deduplicates and appends to the durable event log, then returns.
 * It never performs channel I/O: a reactor thread reads the log, updates per-user state, asks the
 * {@link dev.mkt.spi.RuleEngine} for actions and puts them in the outbox, from which the dispatcher delivers.
 */
public interface Marketing extends AutoCloseable {

  /** Starts building an engine. */
  static MarketingBuilder builder() {
    return new MarketingBuilder();
  }

  /**
   * Tracks one event: validate, deduplicate, append.
   *
   * @return {@code ACCEPTED} with the log position, {@code DUPLICATE}, or {@code REJECTED} with a typed reason;
   *     bad input never throws
   * @throws IllegalStateException if the engine is closed
   */
  TrackResult trackMarketingEvent(MarketingEvent event);

  /** Short alias of {@link #trackMarketingEvent}. */
  default TrackResult track(MarketingEvent event) {
    return trackMarketingEvent(event);
  }

  /**
   * Tracks several events with one append: the accepted ones are appended together, in order. Results are in
   * the order of the input. Duplicates within the batch are answered {@code DUPLICATE} after the first.
   */
  List<TrackResult> trackAll(List<MarketingEvent> events);

  /**
   * Tracks an event given as JSON bytes (the {@link MarketingEvent} JSON form), as webhook ingest does.
   * Invalid UTF-8 and invalid JSON are answered {@code REJECTED} with {@code INVALID_UTF8} or
   * {@code INVALID_JSON}.
   */
  TrackResult trackJson(byte[] json);

  /**
   * Sets traits of a user (email, name, timezone, locale, plan, custom ones). Traits merge; a {@code null}
   * value removes the trait. The change goes through the event log, so it is durable and ordered with the
   * user's events.
   *
   * @throws InvalidTraitException for an invalid email, a non-IANA time zone, an oversized value; the contact
   *     is unchanged
   */
  void identify(String userId, java.util.Map<String, ?> traits);

  /**
   * Opts the user out of all marketing. Takes effect at once for dispatch: actions already queued for the
   * user are suppressed, not sent.
   *
   * @param source how it happened, e.g. {@code api}, {@code settings-page}
   */
  void optOut(String userId, String source);

  /** Undoes {@link #optOut}. */
  void optIn(String userId, String source);

  /** Unsubscribes the user from one channel ({@code email}, {@code in_app}, ...). Takes effect at once. */
  void unsubscribe(String userId, String channel, String source);

  /** What mkt knows about the user, as of the reactor's position (plus opt-outs made since). */
  Contact contact(String userId);

  /** Counters: received, duplicate, rejected, appended, processed, lag, ... No metrics library needed. */
  MarketingStats stats();

  /**
   * Waits until the reactor has processed everything appended before this call.
   *
   * @return whether it caught up within the timeout
   */
  boolean awaitProcessed(java.time.Duration timeout) throws InterruptedException;

  /**
   * Dispatch: each action's delivery state, the review queue (approve/reject), dead letters and their replay,
   * counters and breaker states.
   */
  Dispatch dispatch();

  /** Stops the reactor and dispatcher, flushes the log and closes the stores. Idempotent. */
  @Override
  void close();
}
