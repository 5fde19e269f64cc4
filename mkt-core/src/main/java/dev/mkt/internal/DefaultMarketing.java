package dev.mkt.internal;

import dev.mkt.Contact;
import dev.mkt.DedupKeyStrategy;
import dev.mkt.InvalidEventException;
import dev.mkt.Marketing;
import dev.mkt.MarketingEvent;
import dev.mkt.MarketingException;
import dev.mkt.MarketingStats;
import dev.mkt.RejectReason;
import dev.mkt.TrackResult;
import dev.mkt.TrackingConfig;
import dev.mkt.internal.reactor.EventDeadLetters;
import dev.mkt.internal.reactor.Reactor;
import dev.mkt.internal.state.ReactorState;
import dev.mkt.internal.state.SystemEvents;
import dev.mkt.internal.state.Traits;
import dev.mkt.spi.DedupStore;
import dev.mkt.spi.EventLog;
import dev.mkt.spi.EventLogException;
import dev.mkt.spi.LogBatch;
import dev.mkt.spi.LogRecord;
import dev.mkt.spi.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link Marketing} engine. See {@link dev.mkt.MarketingBuilder}. */
public final class DefaultMarketing implements Marketing {
  private static final Logger log = LoggerFactory.getLogger(DefaultMarketing.class);

  private final EngineSettings settings;
  private final Clock clock;
  private final TrackingConfig tracking;
  private final DedupKeyStrategy keys;
  private final Duration dedupWindow;
  private final EventCodec codec = EventCodec.shared();
  private final EventLog eventLog;
  private final boolean ownsLog;
  private final DedupStore dedup;
  private final boolean ownsDedup;
  private final StateStore stateStore;
  private final boolean ownsState;
  private final ReactorState state;
  private final EventDeadLetters deadLetters;
  private final Reactor reactor;
  private final Thread reactorThread;
  private final LongFunction<CompletableFuture<Void>> durability;
  private final ConsentOverrides consentOverrides = new ConsentOverrides();
  private final dev.mkt.internal.dispatch.DispatchRuntime dispatch;

  private final LongAdder received = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder appended = new LongAdder();
  private volatile boolean closed;
  private final Object lifecycle = new Object();
  /** Starts dispatch once the log tail is replayed (null if it started at once). */
  private final Thread dispatchStarter;

  public DefaultMarketing(EngineSettings s) {
    this.settings = s;
    this.clock = s.clock();
    this.tracking = s.tracking();
    this.keys = tracking.dedupKey();
    this.dedupWindow = tracking.dedupWindow();
    this.ownsLog = s.eventLog() == null;
    this.eventLog = ownsLog ? EventLog.embedded(s.eventLogConfig()) : s.eventLog();
    this.durability = eventLog::whenDurable;
    this.ownsState = s.stateStore() == null;
    this.ownsDedup = s.dedupStore() == null;
    this.dedup = ownsDedup ? DedupStore.inMemory(DedupStore.DEFAULT_MAX_KEYS, dedupWindow, clock) : s.dedupStore();
    dev.mkt.internal.dispatch.DispatchRuntime opened = null;
    StateStore st = null;
    try {
      st = ownsState ? StateStore.embedded(s.dataDirectory().resolve("state")) : s.stateStore();
      if (!dedup.persistent()) {
        rebuildDedup();
      }
      this.state = new ReactorState(s.ruleEngine().activitySpec(), st);
      opened = dev.mkt.internal.dispatch.DispatchRuntime.open(s.dispatch(), s.outbox(), s.dataDirectory(),
          clock, s.ruleEngine(), this::contact);
      this.dispatch = opened;
      this.deadLetters = new EventDeadLetters(s.dataDirectory().resolve("dead-letters"));
      this.reactor = new Reactor(eventLog, state, s.ruleEngine(), dispatch.outbox(), deadLetters, clock,
          s.reactorBatch(), s.commitInterval());
    } catch (RuntimeException e) {
      if (opened != null) {
        opened.close();
      }
      if (ownsState && st != null) {
        st.close();
      }
      closeOwned();
      throw e;
    }
    this.stateStore = st;
    // The log tail after the state's checkpoint is replayed first. Contacts (identify, opt-outs) are state too:
    // an action decided before a crash must not be sent, or suppressed as no_address, against a contact that
    // the replay has not rebuilt yet. So dispatch starts once the reactor has caught up with the log as it was
    // at open (at once for a fresh engine, or one with no reactor).
    long replayTo = eventLog.endOffset();
    if (s.startReactor()) {
      reactorThread = new Thread(reactor, "mkt-reactor");
      reactorThread.setDaemon(true);
      reactorThread.start();
    } else {
      reactorThread = null;
    }
    if (reactorThread == null || reactor.position() >= replayTo) {
      dispatch.start();
      dispatchStarter = null;
    } else {
      dispatchStarter = new Thread(() -> startDispatchAfterReplay(replayTo), "mkt-dispatch-start");
      dispatchStarter.setDaemon(true);
      dispatchStarter.start();
    }
  }

  private void startDispatchAfterReplay(long replayTo) {
    log.info("dispatch starts after the reactor has replayed the log up to offset {} (now at {})", replayTo,
        reactor.position());
    try {
      while (!reactor.awaitPosition(replayTo, Duration.ofSeconds(30))) {
        if (closed) {
          return;
        }
        log.warn("dispatch still waits for the reactor to replay the log up to offset {} (now at {})", replayTo,
            reactor.position());
      }
    } catch (InterruptedException e) {
      return; // closing
    }
    synchronized (lifecycle) {
      if (!closed) {
        dispatch.start();
        log.info("dispatch started: the reactor has replayed the log up to offset {}", replayTo);
      }
    }
  }

  /** Re-marks the dedup keys appended within the last window, so duplicates are caught across a restart. */
  private void rebuildDedup() {
    long now = clock.millis();
    long since = now - dedupWindow.toMillis();
    long offset = eventLog.offsetForTime(since);
    long end = eventLog.readableOffset();
    long marked = 0;
    while (offset < end) {
      LogBatch b = eventLog.read(offset, 4096);
      for (LogRecord r : b.records()) {
        long age = now - r.appendTimeMillis();
        if (r.appendTimeMillis() >= since && age < dedupWindow.toMillis()) {
          dedup.markIfAbsent(r.key(), dedupWindow.minusMillis(Math.max(0, age)));
          marked++;
        }
      }
      if (b.nextOffset() <= offset) {
        break;
      }
      offset = b.nextOffset();
    }
    if (marked > 0) {
      log.info("dedup: re-marked {} keys from the last {} of the event log", marked, Durations.format(dedupWindow));
    }
  }

  // ---------------------------------------------------------------- track

  @Override
  public TrackResult trackMarketingEvent(MarketingEvent event) {
    checkOpen();
    received.increment();
    if (event == null) {
      rejected.increment();
      return TrackResult.rejected(null, RejectReason.INVALID_JSON, "event is null");
    }
    if (SystemEvents.isSystem(event.type())) {
      return reject(event.id(), RejectReason.MISSING_TYPE, "type '" + event.type()
          + "' is reserved: types starting with '$' are mkt's own");
    }
    return append(event);
  }

  private TrackResult append(MarketingEvent event) {
    long now = clock.millis();
    byte[] bytes;
    String key;
    try {
      bytes = codec.encode(event, tracking, now);
      key = keys.key(event);
    } catch (InvalidEventException e) {
      return reject(event.id(), e.reason(), e.detail());
    }
    if (key == null) {
      return reject(event.id(), RejectReason.MISSING_TYPE, "the dedup key strategy returned null");
    }
    if (!dedup.markIfAbsent(key, dedupWindow)) {
      duplicates.increment();
      return TrackResult.duplicate(event.id());
    }
    long offset;
    try {
      offset = eventLog.append(key, now, bytes);
    } catch (EventLogException e) {
      dedup.unmark(key);
      return reject(event.id(), RejectReason.LOG_UNAVAILABLE, e.getMessage());
    }
    appended.increment();
    return TrackResult.accepted(event.id(), offset, durability);
  }

  private TrackResult reject(String id, RejectReason reason, String message) {
    rejected.increment();
    log.debug("rejected event {}: {} {}", id, reason, message);
    return TrackResult.rejected(id, reason, message);
  }

  @Override
  public List<TrackResult> trackAll(List<MarketingEvent> events) {
    checkOpen();
    long now = clock.millis();
    TrackResult[] results = new TrackResult[events.size()];
    List<String> batchKeys = new ArrayList<>();
    List<byte[]> batchBytes = new ArrayList<>();
    List<Integer> batchIndex = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < results.length; i++) {
      MarketingEvent e = events.get(i);
      received.increment();
      if (e == null) {
        results[i] = reject(null, RejectReason.INVALID_JSON, "event is null");
        continue;
      }
      if (SystemEvents.isSystem(e.type())) {
        results[i] = reject(e.id(), RejectReason.MISSING_TYPE, "type '" + e.type() + "' is reserved");
        continue;
      }
      byte[] bytes;
      String key;
      try {
        bytes = codec.encode(e, tracking, now);
        key = keys.key(e);
      } catch (InvalidEventException ex) {
        results[i] = reject(e.id(), ex.reason(), ex.detail());
        continue;
      }
      if (!seen.add(key) || !dedup.markIfAbsent(key, dedupWindow)) {
        duplicates.increment();
        results[i] = TrackResult.duplicate(e.id());
        continue;
      }
      batchKeys.add(key);
      batchBytes.add(bytes);
      batchIndex.add(i);
    }
    if (!batchBytes.isEmpty()) {
      try {
        long first = eventLog.appendAll(batchKeys, now, batchBytes);
        for (int j = 0; j < batchIndex.size(); j++) {
          int i = batchIndex.get(j);
          results[i] = TrackResult.accepted(events.get(i).id(), first + j, durability);
        }
        appended.add(batchIndex.size());
      } catch (EventLogException ex) {
        for (int j = 0; j < batchIndex.size(); j++) {
          dedup.unmark(batchKeys.get(j));
          int i = batchIndex.get(j);
          results[i] = reject(events.get(i).id(), RejectReason.LOG_UNAVAILABLE, ex.getMessage());
        }
      }
    }
    return List.of(results);
  }

  @Override
  public TrackResult trackJson(byte[] json) {
    checkOpen();
    MarketingEvent e;
    try {
      e = codec.parse(json);
    } catch (InvalidEventException ex) {
      received.increment();
      return reject(null, ex.reason(), ex.detail());
    }
    return trackMarketingEvent(e);
  }

  // ---------------------------------------------------------------- contacts

  @Override
  public void identify(String userId, Map<String, ?> traits) {
    requireUser(userId);
    Traits.validate(traits);
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("traits", new LinkedHashMap<>(traits));
    appendSystem(userId, SystemEvents.IDENTIFY, payload);
  }

  @Override
  public void optOut(String userId, String source) {
    requireUser(userId);
    consentOverrides.optOut(userId);
    appendSystem(userId, SystemEvents.OPT_OUT, Map.of("source", source == null ? "api" : source));
  }

  @Override
  public void optIn(String userId, String source) {
    requireUser(userId);
    appendSystem(userId, SystemEvents.OPT_IN, Map.of("source", source == null ? "api" : source));
  }

  @Override
  public void unsubscribe(String userId, String channel, String source) {
    requireUser(userId);
    if (channel == null || channel.isBlank()) {
      throw new IllegalArgumentException("channel must not be blank");
    }
    consentOverrides.unsubscribe(userId, channel);
    appendSystem(userId, SystemEvents.UNSUBSCRIBE, Map.of("channel", channel,
        "source", source == null ? "api" : source));
  }

  @Override
  public Contact contact(String userId) {
    return consentOverrides.overlay(state.contact(userId), clock.instant());
  }

  private static void requireUser(String userId) {
    if (userId == null || userId.isBlank()) {
      throw new IllegalArgumentException("userId must not be blank");
    }
  }

  private void appendSystem(String userId, String type, Map<String, ?> payload) {
    checkOpen();
    MarketingEvent e = MarketingEvent.builder(type, userId).timestamp(clock.instant()).payload(payload).build();
    TrackResult r = append(e);
    if (!r.isAccepted()) {
      throw new MarketingException("could not record " + type + " for user " + userId + ": " + r);
    }
  }

  // ---------------------------------------------------------------- lifecycle and stats

  @Override
  public MarketingStats stats() {
    long processedPos = reactor.position();
    long end = eventLog.endOffset();
    return new MarketingStats(received.sum(), duplicates.sum(), rejected.sum(), appended.sum(),
        reactor.processed(), Math.max(0, end - processedPos), reactor.deadLettered(), reactor.decided(),
        reactor.queued(), dedup.stats().sizeEvictions());
  }

  @Override
  public boolean awaitProcessed(Duration timeout) throws InterruptedException {
    long target = eventLog.endOffset();
    long deadline = System.nanoTime() + timeout.toNanos();
    if (!eventLog.awaitReadable(target - 1, timeout) && target > 0) {
      return false;
    }
    return reactor.awaitPosition(target, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }

  @Override
  public dev.mkt.Dispatch dispatch() {
    return dispatch;
  }

  /** The event dead letters (for tools and the actuator endpoint). */
  public EventDeadLetters deadLetters() {
    return deadLetters;
  }

  /** The event log (for tools and tests). */
  public EventLog eventLog() {
    return eventLog;
  }

  /** The dedup store (for tools and tests). */
  public DedupStore dedupStore() {
    return dedup;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("marketing engine is closed");
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    synchronized (lifecycle) {
      closed = true;
    }
    if (dispatchStarter != null) {
      dispatchStarter.interrupt();
    }
    reactor.stop();
    if (reactorThread != null) {
      try {
        reactorThread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    dispatch.close();
    deadLetters.close();
    if (ownsState) {
      stateStore.close();
    }
    closeOwned();
  }

  private void closeOwned() {
    if (ownsLog) {
      eventLog.close();
    }
    if (ownsDedup) {
      dedup.close();
    }
  }

  EngineSettings settings() {
    return settings;
  }
}
