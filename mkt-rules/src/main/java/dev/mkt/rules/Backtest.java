package dev.mkt.rules;

import static java.util.Objects.requireNonNull;

import dev.mkt.Action;
import dev.mkt.ActivitySpec;
import dev.mkt.MarketingEvent;
import dev.mkt.RuleEvaluationException;
import dev.mkt.internal.state.ReactorState;
import dev.mkt.spi.RuleEngine;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs events through a rule engine exactly as the reactor does, without I/O or clocks: the same per-user state
 * (mkt-core's reactor state: contacts, windows, histories, fire-once markers), the same deduplication (an event id
 * seen before is one event), the same outbox semantics (one action per idempotency key). {@code mkt replay} and
 * {@link RuleTestKit} are built on it. Events should come in log order (as tracked); their timestamps are "now".
 *
 * <p>Deduplication here is exact over the whole run, where the engine's default store forgets ids after its
 * window; for a recorded event file that is the intended meaning of "the same id twice is one event".
 */
public final class Backtest {
  private final RuleEngine engine;
  private final ReactorState state;
  private final Set<String> seenIds = new HashSet<>();
  private final Set<String> keys = new HashSet<>();
  private final Map<String, long[]> perRule = new TreeMap<>();
  private long events;
  private long duplicates;
  private long failures;

  /** What became of one event. */
  public enum Status {
    /** Rules ran; see {@link Outcome#decided()} and {@link Outcome#queued()}. */
    PROCESSED,
    /** An event with this id was seen before: ignored. */
    DUPLICATE,
    /** A system event ({@code $identify}, {@code $opt_out}, ...): the contact changed, no rules ran. */
    SYSTEM,
    /** A rule failed for this event ({@link Outcome#error()}); the reactor would dead-letter it. */
    FAILED
  }

  /**
   * @param decided what the rules decided
   * @param queued the decided actions the reactor would queue: not fire-once actions that already fired for the
   *     user, and only idempotency keys not seen before (what the outbox keeps)
   * @param error the rule failure, for {@link Status#FAILED}
   */
  public record Outcome(Status status, List<Action> decided, List<Action> queued, RuntimeException error) {}

  private Backtest(RuleEngine engine) {
    this.engine = requireNonNull(engine, "engine");
    this.state = ReactorState.inMemory(engine.activitySpec());
  }

  /** A backtest over an engine (not closed by the backtest). */
  public static Backtest of(RuleEngine engine) {
    return new Backtest(engine);
  }

  /** Processes one event. */
  public Outcome accept(MarketingEvent e) {
    requireNonNull(e, "event");
    if (!seenIds.add(e.id())) {
      duplicates++;
      return new Outcome(Status.DUPLICATE, List.of(), List.of(), null);
    }
    events++;
    ActivitySpec spec = engine.activitySpec();
    if (spec != state.spec()) {
      state.spec(spec);
    }
    ReactorState.Input in;
    List<Action> decided;
    try {
      in = state.apply(e);
      if (in == null) {
        return new Outcome(Status.SYSTEM, List.of(), List.of(), null);
      }
      decided = engine.evaluate(e, in.contact(), in.activity());
    } catch (RuleEvaluationException ex) {
      failures++;
      return new Outcome(Status.FAILED, List.of(), List.of(), ex);
    } catch (RuntimeException ex) {
      failures++;
      return new Outcome(Status.FAILED, List.of(), List.of(),
          new RuleEvaluationException("?", e.id(), "rule engine failed: " + ex, ex));
    }
    for (Action a : decided) {
      perRule.computeIfAbsent(a.rule(), r -> new long[2])[0]++;
    }
    // As the reactor: fire-once markers in the user's state, then the outbox's one action per key.
    List<Action> admitted = state.admit(e.userId(), decided);
    List<Action> queued = new ArrayList<>(admitted.size());
    for (Action a : admitted) {
      if (keys.add(a.idempotencyKey())) {
        perRule.get(a.rule())[1]++;
        queued.add(a);
      }
    }
    return new Outcome(Status.PROCESSED, decided, queued, null);
  }

  /** Rule → {decided, queued} action counts, sorted by rule name. */
  public Map<String, long[]> ruleCounts() {
    Map<String, long[]> out = new TreeMap<>();
    perRule.forEach((r, c) -> out.put(r, c.clone()));
    return out;
  }

  /** Distinct events processed (system events included, duplicates not). */
  public long events() {
    return events;
  }

  /** Events ignored as duplicates. */
  public long duplicates() {
    return duplicates;
  }

  /** Events a rule failed on. */
  public long failures() {
    return failures;
  }

  /** The contact as the rules would see it now. */
  public dev.mkt.Contact contact(String userId) {
    return state.contact(userId);
  }
}
