package dev.mkt.spring.actuate;

import static java.util.Objects.requireNonNull;

import dev.mkt.Marketing;
import dev.mkt.DispatchStats;
import dev.mkt.MarketingStats;
import dev.mkt.OutboxState;
import dev.mkt.spi.EventLog;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters over {@link Marketing#stats()}. Counters are function counters (monotonic, read at scrape
 * time); one stats snapshot serves all meters of a scrape (it is re-read at most every 100 ms).
 *
 * <ul>
 *   <li>{@code mkt.events} (counter), tag {@code outcome}: {@code received}, {@code accepted}, {@code duplicate},
 *       {@code rejected}, {@code processed}, {@code dead_lettered}</li>
 *   <li>{@code mkt.actions} (counter), tag {@code outcome}: {@code decided}, {@code queued}</li>
 *   <li>{@code mkt.reactor.lag} (gauge): records appended but not yet processed</li>
 *   <li>{@code mkt.dedup.evictions} (counter): dedup keys dropped early because the store was full</li>
 *   <li>{@code mkt.log.size} (gauge, bytes) and {@code mkt.log.segments} (gauge), when the log is known</li>
 *   <li>{@code mkt.deliveries} (counter), tags {@code channel} and {@code outcome}: {@code sent},
 *       {@code suppressed}, {@code failed} (attempts that failed and will be retried), {@code deferred},
 *       {@code dead}, {@code failed_over}</li>
 *   <li>{@code mkt.outbox} (gauge), tag {@code state}: actions per outbox state;
 *       {@code mkt.dispatch.backlog} (gauge): actions due or being retried ({@code PENDING} + {@code RETRYING} +
 *       {@code SENDING}); {@code mkt.dispatch.breaker.open} (gauge, tag {@code provider}): 1 while a provider's
 *       circuit breaker is open</li>
 * </ul>
 * Channels and providers are those in use when the engine started.
 */
public final class MarketingMetrics implements MeterBinder {
  private final Marketing marketing;
  private final EventLog eventLog;
  private volatile MarketingStats last;
  private volatile long lastNanos;
  private volatile DispatchStats lastDispatch;
  private volatile long lastDispatchNanos;

  /** @param eventLog the engine's log, or {@code null} */
  public MarketingMetrics(Marketing marketing, EventLog eventLog) {
    this.marketing = requireNonNull(marketing, "marketing");
    this.eventLog = eventLog;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    counter(registry, "mkt.events", "received", "Events passed to track", MarketingStats::received);
    counter(registry, "mkt.events", "accepted", "Events appended to the log", MarketingStats::appended);
    counter(registry, "mkt.events", "duplicate", "Events answered DUPLICATE", MarketingStats::duplicates);
    counter(registry, "mkt.events", "rejected", "Events answered REJECTED", MarketingStats::rejected);
    counter(registry, "mkt.events", "processed", "Log records the reactor processed", MarketingStats::processed);
    counter(registry, "mkt.events", "dead_lettered", "Events the reactor could not process",
        MarketingStats::deadLettered);
    counter(registry, "mkt.actions", "decided", "Actions the rules decided", MarketingStats::actionsDecided);
    counter(registry, "mkt.actions", "queued", "Actions newly put in the outbox", MarketingStats::actionsQueued);
    Gauge.builder("mkt.reactor.lag", this, m -> m.stats().lag())
        .description("Records appended but not yet processed by the reactor").baseUnit("records")
        .register(registry);
    FunctionCounter.builder("mkt.dedup.evictions", this, m -> m.stats().dedupSizeEvictions())
        .description("Dedup keys evicted early because the store was full").register(registry);
    DispatchStats ds = dispatchStats();
    // Channels in use: those with counts, and those of the providers (ids are <channel>.<provider>).
    java.util.Set<String> channels = new java.util.TreeSet<>(ds.channels().keySet());
    for (String provider : ds.breakers().keySet()) {
      int dot = provider.indexOf('.');
      channels.add(dot > 0 ? provider.substring(0, dot) : provider);
    }
    for (String channel : channels) {
      delivery(registry, channel, "sent", DispatchStats.ChannelCounts::sent);
      delivery(registry, channel, "suppressed", DispatchStats.ChannelCounts::suppressed);
      delivery(registry, channel, "failed", DispatchStats.ChannelCounts::retried);
      delivery(registry, channel, "deferred", DispatchStats.ChannelCounts::deferred);
      delivery(registry, channel, "dead", DispatchStats.ChannelCounts::dead);
      delivery(registry, channel, "failed_over", DispatchStats.ChannelCounts::failedOver);
    }
    for (OutboxState state : OutboxState.values()) {
      Gauge.builder("mkt.outbox", this, m -> m.dispatchStats().count(state))
          .tag("state", state.name().toLowerCase(java.util.Locale.ROOT))
          .description("Actions in the outbox by state").register(registry);
    }
    Gauge.builder("mkt.dispatch.backlog", this, m -> {
      DispatchStats d = m.dispatchStats();
      return d.count(OutboxState.PENDING) + d.count(OutboxState.RETRYING) + d.count(OutboxState.SENDING);
    }).description("Actions due or being retried").baseUnit("actions").register(registry);
    for (String provider : ds.breakers().keySet()) {
      Gauge.builder("mkt.dispatch.breaker.open", this,
          m -> "OPEN".equals(m.dispatchStats().breakers().get(provider)) ? 1 : 0)
          .tag("provider", provider).description("1 while the provider's circuit breaker is open")
          .register(registry);
    }
    if (eventLog != null) {
      Gauge.builder("mkt.log.size", eventLog, l -> l.stats().sizeBytes()).baseUnit("bytes")
          .description("Size of the event log's segment files").register(registry);
      Gauge.builder("mkt.log.segments", eventLog, l -> l.stats().segments())
          .description("Segment files of the event log").register(registry);
    }
  }

  private void counter(MeterRegistry registry, String name, String outcome, String description,
      ToDoubleFunction<MarketingStats> f) {
    FunctionCounter.builder(name, this, m -> f.applyAsDouble(m.stats())).tag("outcome", outcome)
        .description(description).register(registry);
  }

  private void delivery(MeterRegistry registry, String channel, String outcome,
      ToDoubleFunction<DispatchStats.ChannelCounts> f) {
    FunctionCounter.builder("mkt.deliveries", this, m -> {
      DispatchStats.ChannelCounts c = m.dispatchStats().channels().get(channel);
      return c == null ? 0 : f.applyAsDouble(c);
    }).tag("channel", channel).tag("outcome", outcome).description("What happened to actions per channel")
        .register(registry);
  }

  DispatchStats dispatchStats() {
    long now = System.nanoTime();
    DispatchStats s = lastDispatch;
    if (s == null || now - lastDispatchNanos > 100_000_000L) {
      s = marketing.dispatch().stats();
      lastDispatch = s;
      lastDispatchNanos = now;
    }
    return s;
  }

  MarketingStats stats() {
    long now = System.nanoTime();
    MarketingStats s = last;
    if (s == null || now - lastNanos > 100_000_000L) {
      s = marketing.stats();
      last = s;
      lastNanos = now;
    }
    return s;
  }
}
