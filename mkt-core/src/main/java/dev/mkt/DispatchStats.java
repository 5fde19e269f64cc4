package dev.mkt;

import java.util.Map;

/**
 * A snapshot of dispatch: the outbox by state, what happened per channel since the engine started, the
 * providers' circuit breakers, and deliveries in flight.
 *
 * @param outbox entries per state (all states present)
 * @param channels per channel: counts since start
 * @param breakers per provider id: {@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}, ...
 * @param inFlight actions being processed right now
 */
public record DispatchStats(Map<OutboxState, Long> outbox, Map<String, ChannelCounts> channels,
    Map<String, String> breakers, int inFlight) {

  public DispatchStats {
    outbox = Map.copyOf(outbox);
    channels = Map.copyOf(channels);
    breakers = Map.copyOf(breakers);
  }

  /** Entries in {@code state}. */
  public long count(OutboxState state) {
    return outbox.getOrDefault(state, 0L);
  }

  /**
   * What happened on one channel since the engine started.
   *
   * @param sent accepted by a provider
   * @param suppressed not sent on purpose
   * @param retried attempts that failed transiently
   * @param deferred postponed by quiet hours, caps, rate limits or open breakers
   * @param dead dead-lettered
   * @param failedOver sent by a secondary provider because the primary's breaker was open
   */
  public record ChannelCounts(long sent, long suppressed, long retried, long deferred, long dead,
      long failedOver) {}
}
