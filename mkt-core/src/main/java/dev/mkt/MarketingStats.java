package dev.mkt;

/**
 * A snapshot of the engine's counters since it was built.
 *
 * @param received events passed to {@code track*}
 * @param duplicates answered {@code DUPLICATE}
 * @param rejected answered {@code REJECTED}
 * @param appended appended to the event log
 * @param processed log records the reactor has processed
 * @param lag records appended but not yet processed by the reactor
 * @param deadLettered events the reactor could not process (poison records, rule failures, corruption)
 * @param actionsDecided actions the rules decided (including ones the outbox already had)
 * @param actionsQueued actions newly put in the outbox
 * @param dedupSizeEvictions dedup keys evicted early because the dedup store was full
 */
public record MarketingStats(long received, long duplicates, long rejected, long appended, long processed,
    long lag, long deadLettered, long actionsDecided, long actionsQueued, long dedupSizeEvictions) {}
