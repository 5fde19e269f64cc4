package dev.mkt.internal.reactor;

import dev.mkt.Action;
import dev.mkt.ActivitySpec;
import dev.mkt.InvalidEventException;
import dev.mkt.MarketingEvent;
import dev.mkt.RuleEvaluationException;
import dev.mkt.internal.EventCodec;
import dev.mkt.internal.state.ReactorState;
import dev.mkt.spi.EventLog;
import dev.mkt.spi.LogBatch;
import dev.mkt.spi.LogCorruption;
import dev.mkt.spi.LogRecord;
import dev.mkt.spi.Outbox;
import dev.mkt.spi.RuleEngine;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer loop: reads the log in batches, updates per-user state, asks the rule engine for actions, puts
 * them in the outbox, and commits its position after they are durable (at least once; the outbox's unique
 * idempotency key makes re-decided actions harmless).
 *
 * <p>A record that cannot be decoded, a rule that fails, and a corrupted stretch of the log are dead-lettered
 * with their reason; the loop goes on.
 */
public final class Reactor implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Reactor.class);
  public static final String GROUP = "reactor";
  private static final long IDLE_WAIT_NANOS = 50_000_000L;

  private final EventLog eventLog;
  private final ReactorState state;
  private final RuleEngine rules;
  private final Outbox outbox;
  private final EventDeadLetters deadLetters;
  private final Clock clock;
  private final int batchSize;
  private final long commitIntervalNanos;
  private final EventCodec codec = EventCodec.shared();

  private volatile boolean running = true;
  private volatile long position;
  private final LongAdder processed = new LongAdder();
  private final LongAdder deadLettered = new LongAdder();
  private final LongAdder decided = new LongAdder();
  private final LongAdder queued = new LongAdder();
  private final Object progress = new Object();

  public Reactor(EventLog eventLog, ReactorState state, RuleEngine rules, Outbox outbox,
      EventDeadLetters deadLetters, Clock clock, int batchSize, Duration commitInterval) {
    this.eventLog = eventLog;
    this.state = state;
    this.rules = rules;
    this.outbox = outbox;
    this.deadLetters = deadLetters;
    this.clock = clock;
    this.batchSize = batchSize;
    this.commitIntervalNanos = commitInterval.toNanos();
    // The state store's position is the truth: state and decisions are consistent with it. The log group's
    // committed offset only mirrors it (for monitoring and retention warnings).
    this.position = Math.max(state.position(), eventLog.startOffset());
  }

  @Override
  public void run() {
    long lastCommit = System.nanoTime();
    long committed = position;
    while (running) {
      try {
        LogBatch batch = eventLog.read(position, batchSize);
        if (!batch.isEmpty()) {
          processBatch(batch);
        }
        // Commit once the interval has passed, busy or caught up. Committing every time the reactor caught up
        // cost several fsyncs per small batch at a steady trickle of events, stalling the reactor (measured:
        // saturation below 500 events/s, event-to-email). Caught up and not due: wait for events until it is.
        long sinceCommit = System.nanoTime() - lastCommit;
        if (committed != position && sinceCommit >= commitIntervalNanos) {
          commit();
          committed = position;
          lastCommit = System.nanoTime();
        } else if (batch.isEmpty()) {
          long waitNanos = committed != position ? commitIntervalNanos - sinceCommit : IDLE_WAIT_NANOS;
          eventLog.awaitReadable(position, Duration.ofNanos(Math.min(waitNanos, IDLE_WAIT_NANOS)));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        log.error("reactor: unexpected failure at offset {}; retrying in 1 s", position, e);
        sleepQuietly(1000);
      }
    }
    try {
      commit();
    } catch (RuntimeException e) {
      log.warn("reactor: final commit failed at offset {}: {}", position, e.toString());
    }
  }

  /** Processes one batch and advances the in-memory position (not committed). */
  public void processBatch(LogBatch batch) {
    ActivitySpec spec = rules.activitySpec();
    if (spec != state.spec()) {
      state.spec(spec); // rules were reloaded and declare other windows/histories
    }
    for (LogCorruption c : batch.corruptions()) {
      deadLetters.add(c.fromOffset(), null, null, null, "log corruption: " + c, null, clock.instant());
      deadLettered.increment();
    }
    List<Action> actions = new ArrayList<>();
    for (LogRecord r : batch.records()) {
      process(r, actions);
    }
    if (outbox != null && !actions.isEmpty()) {
      queued.add(outbox.putAll(actions));
    }
    decided.add(actions.size());
    processed.add(batch.records().size());
    synchronized (progress) {
      position = batch.nextOffset();
      progress.notifyAll();
    }
  }

  private void process(LogRecord r, List<Action> out) {
    MarketingEvent e;
    try {
      e = codec.decode(r.data());
    } catch (InvalidEventException ex) {
      deadLetter(r, null, ex.getMessage());
      return;
    }
    ReactorState.Input in;
    try {
      in = state.apply(e);
    } catch (RuntimeException ex) {
      deadLetter(r, e, "state update failed: " + ex);
      return;
    }
    if (in == null) {
      return;
    }
    try {
      out.addAll(state.admit(e.userId(), rules.evaluate(e, in.contact(), in.activity())));
    } catch (RuleEvaluationException ex) {
      deadLetter(r, e, ex.getMessage());
    } catch (RuntimeException ex) {
      deadLetter(r, e, "rule engine failed: " + ex);
    }
  }

  private void deadLetter(LogRecord r, MarketingEvent e, String reason) {
    log.warn("reactor: dead-lettered offset {} (event {}): {}", r.offset(), e == null ? "?" : e.id(), reason);
    deadLetters.add(r.offset(), e == null ? null : e.id(), e == null ? null : e.userId(),
        e == null ? null : e.type(), reason, r.data(), clock.instant());
    deadLettered.increment();
  }

  /**
   * Makes the decisions so far durable (outbox), then the state with the position it reflects, then mirrors
   * the position as the log group's committed offset. A crash between the steps replays events whose actions
   * the outbox already has (deduplicated by idempotency key) from a state that has not seen them.
   */
  private void commit() {
    if (outbox != null) {
      outbox.flush();
    }
    state.checkpoint(position);
    eventLog.commit(GROUP, position);
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until the position reaches {@code offset}. */
  public boolean awaitPosition(long offset, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (position < offset) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(progress, left);
      }
    }
    return true;
  }

  public void stop() {
    running = false;
  }

  public long position() {
    return position;
  }

  public long processed() {
    return processed.sum();
  }

  public long deadLettered() {
    return deadLettered.sum();
  }

  public long decided() {
    return decided.sum();
  }

  public long queued() {
    return queued.sum();
  }
}
