package dev.mkt.benchmarks.rules;

import dev.mkt.Action;
import dev.mkt.Activity;
import dev.mkt.ActivitySpec;
import dev.mkt.Contact;
import dev.mkt.EventLogConfig;
import dev.mkt.FsyncPolicy;
import dev.mkt.MarketingEvent;
import dev.mkt.internal.EventCodec;
import dev.mkt.internal.reactor.EventDeadLetters;
import dev.mkt.internal.reactor.Reactor;
import dev.mkt.internal.state.ReactorState;
import dev.mkt.rules.DrlRuleEngine;
import dev.mkt.spi.EventLog;
import dev.mkt.spi.LogBatch;
import dev.mkt.spi.LogRecord;
import dev.mkt.spi.Outbox;
import dev.mkt.spi.RuleEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jol.info.GraphLayout;

/**
 * The reactor end to end with the seed rules: read a batch from the embedded event log, decode, update per-user
 * state, evaluate the rules, count the decided actions in an outbox. 10 k users, a realistic event mix
 * ({@link EventMix}), events in timestamp order at 200 k per day. The score is events per second.
 *
 * <ul>
 *   <li>{@code mkt}: mkt-core's {@code Reactor.processBatch} with {@code ReactorState} (bounded rings per user)
 *       and {@link DrlRuleEngine} over the shipped seed rules (one long-lived stateful session).</li>
 *   <li>{@code mkt-state-only}: the same reactor and state (the seed rules' activity spec) with a rule engine that
 *       decides nothing: what the log, decoding and state cost without the rules, for attribution.</li>
 *   <li>{@code naive-cep}: the same triggers as plain Drools CEP ({@link NaiveCep}): every event a fact in a
 *       stream-mode session, {@code window:time(24h)}; the same log reading and decoding.</li>
 * </ul>
 *
 * When the log is exhausted, the run starts over from the first record with fresh state (a new reactor). After
 * each iteration the retained heap per active user is printed ({@code [memory] ...}): for {@code mkt} measured
 * with JOL over the reactor state, for both as heap used after GC minus the heap before the state existed.
 *
 * <p>Run: {@code mvn -B -pl benchmarks -am package -DskipTests && java -jar benchmarks/target/benchmarks.jar
 * ReactorBenchmark -f 1 -wi 2 -i 3 -r 5s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g", "-XX:+UseParallelGC",
    "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
    "-Djol.magicFieldOffset=true"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class ReactorBenchmark {
  static final int BATCH = 1000;

  @Param({"mkt", "naive-cep", "mkt-state-only"})
  public String impl;

  @Param("10000")
  public int users;

  @Param("1000000")
  public int events;

  @Param("200000")
  public int eventsPerDay;

  private Path dir;
  private EventLog log;
  private long offset;
  private long heapBeforeState;

  // mkt
  private DrlRuleEngine engine;
  private RuleEngine rules;
  private ReactorState state;
  private Reactor reactor;
  private EventDeadLetters deadLetters;
  private final CountingOutbox outbox = new CountingOutbox();

  // naive-cep
  private NaiveCep naive;
  private final EventCodec codec = EventCodec.shared();

  /** An outbox that counts (the durable outbox is measured elsewhere). */
  static final class CountingOutbox implements Outbox {
    long actions;

    @Override
    public int putAll(Collection<Action> a) {
      actions += a.size();
      return a.size();
    }

    @Override
    public void flush() {}
  }

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    if (!impl.equals("mkt") && !impl.equals("naive-cep") && !impl.equals("mkt-state-only")) {
      throw new IllegalArgumentException("impl must be mkt, naive-cep or mkt-state-only, but was " + impl);
    }
    dir = Files.createTempDirectory("mkt-reactor-bench");
    log = EventLog.embedded(EventLogConfig.custom(dir.resolve("log")).fsync(FsyncPolicy.never()).build());
    prefill(log, events, users, eventsPerDay);
    if (impl.startsWith("mkt")) {
      engine = DrlRuleEngine.builder().seedRules(true).build();
      if (impl.equals("mkt-state-only")) {
        ActivitySpec spec = engine.activitySpec();
        engine.close();
        engine = null;
        rules = new RuleEngine() {
          @Override
          public List<Action> evaluate(MarketingEvent event, Contact contact, Activity activity) {
            return List.of();
          }

          @Override
          public ActivitySpec activitySpec() {
            return spec;
          }
        };
      } else {
        rules = engine;
      }
      deadLetters = new EventDeadLetters(dir.resolve("dead-letters"));
    }
    rewind(true);
  }

  /** Writes the event mix to the log (a separate method, so the event list is garbage afterwards). */
  private static void prefill(EventLog log, int events, int users, int perDay) {
    List<MarketingEvent> mix = EventMix.generate(events, users, perDay, 42);
    List<String> keys = new ArrayList<>(BATCH);
    List<byte[]> records = new ArrayList<>(BATCH);
    for (MarketingEvent e : mix) {
      keys.add(e.id());
      records.add(e.toJsonBytes());
      if (records.size() == BATCH) {
        log.appendAll(keys, 0, records);
        keys.clear();
        records.clear();
      }
    }
    if (!records.isEmpty()) {
      log.appendAll(keys, 0, records);
    }
  }

  /**
   * Starts over at the log's start with empty state. {@code baseline}: measure the heap first (three full GCs),
   * only outside the measured method; a rewind inside it (the log ran out) keeps the trial's baseline.
   */
  private void rewind(boolean baseline) {
    offset = log.startOffset();
    state = null;
    reactor = null;
    if (naive != null) {
      naive.close();
      naive = null;
    }
    if (baseline) {
      heapBeforeState = usedHeapAfterGc();
    }
    if (rules != null) {
      state = ReactorState.inMemory(rules.activitySpec());
      reactor = new Reactor(log, state, rules, outbox, deadLetters, Clock.systemUTC(), BATCH, Duration.ofSeconds(1));
    } else {
      naive = new NaiveCep();
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long processBatch() {
    LogBatch batch = log.read(offset, BATCH);
    if (batch.records().isEmpty()) {
      rewind(false);
      batch = log.read(offset, BATCH);
    }
    offset = batch.nextOffset();
    if (reactor != null) {
      reactor.processBatch(batch);
      return outbox.actions;
    }
    long decided = 0;
    for (LogRecord r : batch.records()) {
      decided += naive.process(codec.decode(r.data()));
    }
    return decided;
  }

  @TearDown(Level.Iteration)
  public void memory() {
    long heap = usedHeapAfterGc() - heapBeforeState;
    if (state != null) {
      long jol = GraphLayout.parseInstance(state).totalSize();
      System.out.printf("%n[memory] impl=" + impl + " activeUsers=%d jolBytesPerUser=%d heapAfterGcBytesPerUser=%d "
              + "estimateBytesPerUser=%d deadLettered=%d%n", state.users(), jol / Math.max(1, state.users()),
          heap / Math.max(1, state.users()), state.retainedBytes() / Math.max(1, state.users()),
          reactor.deadLettered());
    } else if (naive != null) {
      System.out.printf("%n[memory] impl=naive-cep facts=%d heapAfterGcBytes=%d heapAfterGcBytesPerUser=%d%n",
          naive.facts(), heap, heap / users);
    }
  }

  private static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (naive != null) {
      naive.close();
    }
    if (engine != null) {
      engine.close();
    }
    if (deadLetters != null) {
      deadLetters.close();
    }
    log.close();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
