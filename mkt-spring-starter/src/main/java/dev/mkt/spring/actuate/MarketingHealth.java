package dev.mkt.spring.actuate;

import static java.util.Objects.requireNonNull;

import dev.mkt.DispatchStats;
import dev.mkt.Marketing;
import dev.mkt.OutboxState;
import dev.mkt.MarketingStats;
import dev.mkt.spi.DedupStats;
import dev.mkt.spi.DedupStore;
import dev.mkt.spi.EventLog;
import dev.mkt.spi.EventLogStats;
import dev.mkt.spi.LogRecovery;
import dev.mkt.spi.StateStore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The engine's health, independent of the Spring Boot version: the event log (segments, size, corruption met,
 * what recovery truncated), the reactor (lag against {@code maxLag}), dead letters, dedup (size, early
 * evictions), the state store (users, checkpoint position). The Boot-specific {@code MarketingHealthIndicator} turns it into an actuator {@code Health}.
 *
 * Dispatch: the backlog (due and retrying actions), actions awaiting review, dead actions, and the state of each
 * provider's circuit breaker.
 *
 * <p>DOWN when the reactor lags more than {@code maxLag} records behind the log (it is stuck or far too slow);
 * UP otherwise. Corruption, dead letters and open breakers are reported in the details but do not make it
 * DOWN: the engine keeps running past them by design (an open breaker defers or fails over, it loses nothing).
 */
public final class MarketingHealth {

  /**
   * A health verdict.
   *
   * @param up whether the engine is healthy
   * @param details what was checked
   */
  public record Report(boolean up, Map<String, Object> details) {}

  private final Marketing marketing;
  private final EventLog eventLog;
  private final DedupStore dedupStore;
  private final StateStore stateStore;
  private final long maxLag;

  /**
   * @param eventLog the engine's log, or {@code null} if not known
   * @param dedupStore the engine's dedup store, or {@code null} if not known
   */
  public MarketingHealth(Marketing marketing, EventLog eventLog, DedupStore dedupStore, long maxLag) {
    this(marketing, eventLog, dedupStore, null, maxLag);
  }

  /**
   * @param stateStore the engine's state store, or {@code null} if not known
   */
  public MarketingHealth(Marketing marketing, EventLog eventLog, DedupStore dedupStore, StateStore stateStore,
      long maxLag) {
    this.marketing = requireNonNull(marketing, "marketing");
    this.eventLog = eventLog;
    this.dedupStore = dedupStore;
    this.stateStore = stateStore;
    this.maxLag = maxLag;
  }

  /** Checks now. */
  public Report check() {
    Map<String, Object> details = new LinkedHashMap<>();
    MarketingStats s = marketing.stats();
    Map<String, Object> reactor = new LinkedHashMap<>();
    reactor.put("processed", s.processed());
    reactor.put("lag", s.lag());
    reactor.put("maxLag", maxLag);
    reactor.put("deadLettered", s.deadLettered());
    details.put("reactor", reactor);
    Map<String, Object> events = new LinkedHashMap<>();
    events.put("received", s.received());
    events.put("appended", s.appended());
    events.put("duplicates", s.duplicates());
    events.put("rejected", s.rejected());
    details.put("events", events);
    Map<String, Object> actions = new LinkedHashMap<>();
    actions.put("decided", s.actionsDecided());
    actions.put("queued", s.actionsQueued());
    details.put("actions", actions);
    DispatchStats d = marketing.dispatch().stats();
    Map<String, Object> dispatch = new LinkedHashMap<>();
    dispatch.put("backlog", d.count(OutboxState.PENDING) + d.count(OutboxState.RETRYING)
        + d.count(OutboxState.SENDING));
    dispatch.put("awaitingReview", d.count(OutboxState.AWAITING_REVIEW));
    dispatch.put("dead", d.count(OutboxState.DEAD));
    dispatch.put("sent", d.count(OutboxState.SENT));
    dispatch.put("inFlight", d.inFlight());
    dispatch.put("breakers", new java.util.TreeMap<>(d.breakers()));
    details.put("dispatch", dispatch);
    if (eventLog != null) {
      EventLogStats ls = eventLog.stats();
      LogRecovery rec = eventLog.recovery();
      Map<String, Object> logDetails = new LinkedHashMap<>();
      logDetails.put("segments", ls.segments());
      logDetails.put("sizeBytes", ls.sizeBytes());
      logDetails.put("startOffset", eventLog.startOffset());
      logDetails.put("endOffset", eventLog.endOffset());
      logDetails.put("corruptionsSeen", ls.corruptionsSeen());
      logDetails.put("recoveryTruncatedBytes", rec.truncatedBytes());
      details.put("log", logDetails);
    }
    if (dedupStore != null) {
      DedupStats ds = dedupStore.stats();
      Map<String, Object> dedup = new LinkedHashMap<>();
      dedup.put("size", ds.size());
      dedup.put("sizeEvictions", ds.sizeEvictions());
      dedup.put("persistent", dedupStore.persistent());
      details.put("dedup", dedup);
    }
    if (stateStore != null) {
      Map<String, Object> state = new LinkedHashMap<>();
      state.put("users", stateStore.size());
      state.put("checkpointPosition", stateStore.position());
      details.put("state", state);
    }
    boolean up = s.lag() <= maxLag;
    if (!up) {
      details.put("reason", "reactor lag " + s.lag() + " exceeds mkt.actuator.max-lag " + maxLag);
    }
    return new Report(up, details);
  }
}
