package dev.mkt.spring.actuate;

import static java.util.Objects.requireNonNull;

import dev.mkt.Marketing;
import dev.mkt.MarketingStats;
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
 * </ul>
 */
public final class MarketingMetrics implements MeterBinder {
  private final Marketing marketing;
  private final EventLog eventLog;
  private volatile MarketingStats last;
  private volatile long lastNanos;

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
