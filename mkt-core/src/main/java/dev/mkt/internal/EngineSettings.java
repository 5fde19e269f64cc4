package dev.mkt.internal;

import dev.mkt.EventLogConfig;
import dev.mkt.TrackingConfig;
import dev.mkt.spi.DedupStore;
import dev.mkt.spi.EventLog;
import dev.mkt.spi.Outbox;
import dev.mkt.spi.RuleEngine;
import dev.mkt.spi.StateStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * What {@link dev.mkt.MarketingBuilder} hands to {@link DefaultMarketing}. Components that are {@code null}
 * are created (and owned) by the engine.
 */
public record EngineSettings(
    Path dataDirectory,
    Clock clock,
    TrackingConfig tracking,
    EventLogConfig eventLogConfig,
    EventLog eventLog,
    DedupStore dedupStore,
    RuleEngine ruleEngine,
    Outbox outbox,
    StateStore stateStore,
    int reactorBatch,
    Duration commitInterval,
    boolean startReactor,
    dev.mkt.internal.dispatch.DispatchSettings dispatch) {}
