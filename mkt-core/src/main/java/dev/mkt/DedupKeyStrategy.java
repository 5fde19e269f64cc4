package dev.mkt;

/**
 * Derives the deduplication key of an event. Two events with the same key inside the dedup window are one
 * event: the second is answered {@link TrackResult.Status#DUPLICATE} and never appended.
 *
 * <p><b>Why the default is the event id, not the seed's {@code sessionId:type}.</b> Keying on
 * {@code sessionId:type} makes every event of a type after the first in a session a duplicate. A user who
 * uses six features in one session would be tracked once, so "{@code feature_usage} count &gt; 5 in 24h"
 * could never fire. The event id identifies the <em>event</em>; a client that retries a delivery sends the
 * same id and is deduplicated, which is the point of an idempotency key. Use {@link #sessionAndType()} only
 * when one event per type per session is what you mean.
 */
@FunctionalInterface
public interface DedupKeyStrategy {

  /** The key; must not be {@code null}. */
  String key(MarketingEvent event);

  /** The event id (client-supplied or generated). The default. */
  static DedupKeyStrategy eventId() {
    return MarketingEvent::id;
  }

  /**
   * The seed's strategy: {@code sessionId + ":" + type}, so one event per type per session. Events without a
   * session fall back to their id.
   */
  static DedupKeyStrategy sessionAndType() {
    return e -> e.sessionId() == null ? e.id() : e.sessionId() + ':' + e.type();
  }
}
