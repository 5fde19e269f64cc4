package dev.mkt.rules;

import static java.util.Objects.requireNonNull;

import dev.mkt.Action;
import dev.mkt.MarketingEvent;
import dev.mkt.internal.Durations;
import dev.mkt.internal.state.SystemEvents;
import dev.mkt.spi.RuleEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Tests rules with a pseudo-clock: given events at times, assert the actions. Events go through the same state,
 * deduplication and outbox semantics as in the engine ({@link Backtest}); no I/O, no waiting.
 *
 * <pre>{@code
 * try (RuleTestKit kit = RuleTestKit.of(DrlRuleEngine.builder().directory(Path.of("rules")).build())) {
 *   kit.at("2026-03-01T09:00:00Z");
 *   for (int i = 0; i < 5; i++) {
 *     assertThat(kit.event("feature_usage", "u1", "feature_name", "export")).isEmpty();
 *     kit.advance("1h");
 *   }
 *   assertThat(kit.event("feature_usage", "u1", "feature_name", "export"))
 *       .extracting(Action::template).containsExactly("pro_tip_v1", "review_request");
 * }
 * }</pre>
 *
 * Generated event ids are {@code e1}, {@code e2}, ... in order, so idempotency keys are predictable.
 */
public final class RuleTestKit implements AutoCloseable {
  private final RuleEngine engine;
  private final boolean ownsEngine;
  private final Backtest backtest;
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private long nextId = 1;
  private final List<Action> queued = new ArrayList<>();
  private final List<Action> decided = new ArrayList<>();
  private final List<RuntimeException> failures = new ArrayList<>();
  private Backtest.Outcome last;

  private RuleTestKit(RuleEngine engine, boolean owns) {
    this.engine = requireNonNull(engine, "engine");
    this.ownsEngine = owns;
    this.backtest = Backtest.of(engine);
  }

  /** A kit over an engine; {@link #close()} closes it. */
  public static RuleTestKit of(RuleEngine engine) {
    return new RuleTestKit(engine, true);
  }

  /**
   * A kit over an engine it does not close, so several kits (each with fresh state) can share one compiled engine.
   */
  public static RuleTestKit shared(RuleEngine engine) {
    return new RuleTestKit(engine, false);
  }

  /** A kit over the shipped seed rules. */
  public static RuleTestKit seedRules() {
    return of(DrlRuleEngine.builder().seedRules(true).build());
  }

  /** Sets the pseudo-clock. Starts at 2026-01-01T00:00:00Z. */
  public RuleTestKit at(Instant t) {
    this.now = requireNonNull(t, "time");
    return this;
  }

  /** Sets the pseudo-clock, ISO-8601. */
  public RuleTestKit at(String iso) {
    return at(Instant.parse(iso));
  }

  /** Moves the pseudo-clock forward (or back, for out-of-order events). */
  public RuleTestKit advance(Duration d) {
    this.now = now.plus(requireNonNull(d, "duration"));
    return this;
  }

  /** As {@link #advance(Duration)} with {@code 30s}, {@code 2h}, {@code 1d}. */
  public RuleTestKit advance(String d) {
    return advance(Durations.parse(d));
  }

  /** The pseudo-clock. */
  public Instant now() {
    return now;
  }

  /**
   * An event at the pseudo-clock's time with payload {@code field, value, field, value, ...}.
   *
   * @return the actions it queued (new idempotency keys)
   */
  public List<Action> event(String type, String userId, Object... fieldsAndValues) {
    if (fieldsAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("payload must be field/value pairs, but had " + fieldsAndValues.length
          + " items");
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    for (int i = 0; i < fieldsAndValues.length; i += 2) {
      payload.put(String.valueOf(fieldsAndValues[i]), fieldsAndValues[i + 1]);
    }
    return event(type, userId, payload);
  }

  /** An event at the pseudo-clock's time; returns the actions it queued. */
  public List<Action> event(String type, String userId, Map<String, ?> payload) {
    return track(MarketingEvent.builder(type, userId).id("e" + nextId++).timestamp(now).payload(payload).build());
  }

  /** An event as given (its own id and timestamp); returns the actions it queued. */
  public List<Action> track(MarketingEvent e) {
    last = backtest.accept(e);
    decided.addAll(last.decided());
    queued.addAll(last.queued());
    if (last.error() != null) {
      failures.add(last.error());
    }
    return last.queued();
  }

  /** Sets contact traits (as {@code Marketing.identify} would), at the pseudo-clock's time. */
  public RuleTestKit identify(String userId, Map<String, ?> traits) {
    track(MarketingEvent.builder(SystemEvents.IDENTIFY, userId).id("e" + nextId++).timestamp(now)
        .put("traits", new LinkedHashMap<>(traits)).build());
    return this;
  }

  /** What became of the last event: processed, duplicate, failed (with the error). */
  public Backtest.Outcome last() {
    return last;
  }

  /** Every queued action so far, in order. */
  public List<Action> actions() {
    return Collections.unmodifiableList(queued);
  }

  /** The queued actions of one user. */
  public List<Action> actions(String userId) {
    return queued.stream().filter(a -> a.userId().equals(userId)).collect(Collectors.toList());
  }

  /** Every decided action, including those the outbox dropped as repeats of a key. */
  public List<Action> decided() {
    return Collections.unmodifiableList(decided);
  }

  /** Queued actions due at the pseudo-clock's time ({@code notBefore <= now}). */
  public List<Action> due() {
    return queued.stream().filter(a -> !a.notBefore().isAfter(now)).collect(Collectors.toList());
  }

  /** Rule failures so far (each would be dead-lettered by the reactor). */
  public List<RuntimeException> failures() {
    return Collections.unmodifiableList(failures);
  }

  /** Forgets the actions and failures recorded so far (state and dedup stay). */
  public RuleTestKit clearActions() {
    queued.clear();
    decided.clear();
    failures.clear();
    return this;
  }

  /** The engine under test. */
  public RuleEngine engine() {
    return engine;
  }

  @Override
  public void close() {
    if (ownsEngine) {
      engine.close();
    }
  }
}
