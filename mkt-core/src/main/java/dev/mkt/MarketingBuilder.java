package dev.mkt;

import static java.util.Objects.requireNonNull;

import dev.mkt.internal.DefaultMarketing;
import dev.mkt.internal.EngineSettings;
import dev.mkt.spi.DedupStore;
import dev.mkt.spi.EventLog;
import dev.mkt.spi.Outbox;
import dev.mkt.spi.RuleEngine;
import dev.mkt.spi.StateStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Builds a {@link Marketing} engine. Every setting has an embedded default, so
 * {@code Marketing.builder().build()} runs with no infrastructure: Caffeine dedup, the embedded event log in
 * {@code ./mkt-data}, in-process state, no rules.
 *
 * <p>Components passed in (an {@link EventLog}, a {@link DedupStore}, ...) stay owned by the caller and are
 * not closed by {@link Marketing#close()}; the ones the builder creates are.
 */
public final class MarketingBuilder {
  /** Default data directory, relative to the working directory. */
  public static final Path DEFAULT_DATA_DIRECTORY = Path.of("mkt-data");
  public static final int DEFAULT_REACTOR_BATCH = 512;
  public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(1);

  private Path dataDirectory = DEFAULT_DATA_DIRECTORY;
  private Clock clock = Clock.systemUTC();
  private TrackingConfig tracking = TrackingConfig.ofDefaults();
  private FsyncPolicy fsync = FsyncPolicy.groupCommit();
  private EventLogConfig eventLogConfig;
  private EventLog eventLog;
  private DedupStore dedupStore;
  private RuleEngine ruleEngine = RuleEngine.none();
  private Outbox outbox;
  private StateStore stateStore;
  private int reactorBatch = DEFAULT_REACTOR_BATCH;
  private Duration commitInterval = DEFAULT_COMMIT_INTERVAL;
  private boolean startReactor = true;

  MarketingBuilder() {}

  /** Where the embedded log, state and outbox live. Default {@code ./mkt-data}. */
  public MarketingBuilder dataDirectory(Path directory) {
    this.dataDirectory = requireNonNull(directory, "dataDirectory");
    return this;
  }

  /** The engine clock: append times, dedup expiry, scheduling. Default UTC system clock. */
  public MarketingBuilder clock(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
    return this;
  }

  /** Validation limits and dedup settings. */
  public MarketingBuilder tracking(TrackingConfig config) {
    this.tracking = requireNonNull(config, "tracking");
    return this;
  }

  /** Fsync policy of the embedded log (ignored if {@link #eventLog(EventLog)} or a full config is given). */
  public MarketingBuilder fsync(FsyncPolicy policy) {
    this.fsync = requireNonNull(policy, "fsync");
    return this;
  }

  /** Full configuration of the embedded log. */
  public MarketingBuilder eventLogConfig(EventLogConfig config) {
    this.eventLogConfig = requireNonNull(config, "eventLogConfig");
    return this;
  }

  /** Another {@link EventLog} implementation; owned by the caller. */
  public MarketingBuilder eventLog(EventLog log) {
    this.eventLog = requireNonNull(log, "eventLog");
    return this;
  }

  /** Another {@link DedupStore} (Redis, JDBC); owned by the caller. Default {@link DedupStore#inMemory()}. */
  public MarketingBuilder dedupStore(DedupStore store) {
    this.dedupStore = requireNonNull(store, "dedupStore");
    return this;
  }

  /** The rule engine, e.g. mkt-rules' DRL engine. Default: no rules. */
  public MarketingBuilder ruleEngine(RuleEngine engine) {
    this.ruleEngine = requireNonNull(engine, "ruleEngine");
    return this;
  }

  /** Another {@link Outbox}; owned by the caller. */
  public MarketingBuilder outbox(Outbox outbox) {
    this.outbox = requireNonNull(outbox, "outbox");
    return this;
  }

  /**
   * Another {@link StateStore} (JDBC); owned by the caller. Default: the embedded checkpoint journal in
   * {@code <dataDirectory>/state}.
   */
  public MarketingBuilder stateStore(StateStore store) {
    this.stateStore = requireNonNull(store, "stateStore");
    return this;
  }

  /** Records the reactor takes per batch. Default 512. */
  public MarketingBuilder reactorBatch(int records) {
    if (records < 1 || records > 100_000) {
      throw new IllegalArgumentException("reactorBatch must be in [1, 100000], but was " + records);
    }
    this.reactorBatch = records;
    return this;
  }

  /**
   * How often the reactor checkpoints its state and position, busy or caught up. Default 1 s. A crash replays at
   * most this much of the log (deciding nothing new: replayed decisions are deduplicated by idempotency key).
   * Each commit costs a few fsyncs, taken on the reactor's thread; {@code 0} commits whenever the reactor has
   * caught up (tests).
   */
  public MarketingBuilder commitInterval(Duration interval) {
    requireNonNull(interval, "commitInterval");
    if (interval.isNegative()) {
      throw new IllegalArgumentException("commitInterval must be >= 0, but was " + interval);
    }
    this.commitInterval = interval;
    return this;
  }

  /**
   * Whether to start the reactor thread. Default true. Without it events are only tracked and logged (for
   * tools and benchmarks of the ingest path).
   */
  public MarketingBuilder startReactor(boolean start) {
    this.startReactor = start;
    return this;
  }

  // ---------------------------------------------------------------- dispatch and channels (issue 4)

  private final DispatchSettingsBuilder dispatch = new DispatchSettingsBuilder();

  /** Limits, frequency caps, quiet hours, review, retries, breakers. Default {@link DispatchConfig#ofDefaults()}. */
  public MarketingBuilder dispatch(DispatchConfig config) {
    dispatch.config = requireNonNull(config, "dispatch");
    return this;
  }

  /**
   * One channel property, e.g. {@code email.provider=smtp,resend}, {@code email.smtp.host=localhost},
   * {@code email.from=Acme <hello@mail.acme.com>}. See docs/spi.md and docs/email.md.
   */
  public MarketingBuilder channelProperty(String key, String value) {
    requireNonNull(key, "key");
    requireNonNull(value, "value of " + key);
    dispatch.properties.put(key.trim(), value);
    return this;
  }

  /** Several channel properties (e.g. Spring's {@code mkt.channels.*} with the prefix removed). */
  public MarketingBuilder channelProperties(java.util.Map<String, String> properties) {
    properties.forEach(this::channelProperty);
    return this;
  }

  /** A channel provider of the host application, used as if ServiceLoader had found it. */
  public MarketingBuilder channelProvider(dev.mkt.spi.ChannelProvider provider) {
    dispatch.providers.add(requireNonNull(provider, "channelProvider"));
    return this;
  }

  /** Where ServiceLoader looks for channel providers. Default: the thread's context class loader. */
  public MarketingBuilder channelClassLoader(ClassLoader loader) {
    dispatch.classLoader = requireNonNull(loader, "channelClassLoader");
    return this;
  }

  /** A compliance check run at send time, after opt-out and unsubscribe; gates run in the order added. */
  public MarketingBuilder consentGate(dev.mkt.spi.ConsentGate gate) {
    dispatch.consentGates.add(requireNonNull(gate, "consentGate"));
    return this;
  }

  /** Signs the one-click unsubscribe links (with {@link DispatchConfig.Builder#unsubscribeUrl}). */
  public MarketingBuilder unsubscribeTokens(UnsubscribeTokens tokens) {
    dispatch.unsubscribeTokens = requireNonNull(tokens, "unsubscribeTokens");
    return this;
  }

  /** Whether to start delivering. Default true; off, actions only accumulate in the outbox. */
  public MarketingBuilder startDispatcher(boolean start) {
    dispatch.start = start;
    return this;
  }

  private static final class DispatchSettingsBuilder {
    DispatchConfig config = DispatchConfig.ofDefaults();
    final java.util.Map<String, String> properties = new java.util.LinkedHashMap<>();
    final java.util.List<dev.mkt.spi.ChannelProvider> providers = new java.util.ArrayList<>();
    final java.util.List<dev.mkt.spi.ConsentGate> consentGates = new java.util.ArrayList<>();
    UnsubscribeTokens unsubscribeTokens;
    ClassLoader classLoader;
    boolean start = true;

    dev.mkt.internal.dispatch.DispatchSettings build() {
      return new dev.mkt.internal.dispatch.DispatchSettings(config, properties, providers, consentGates,
          unsubscribeTokens, classLoader, start);
    }
  }

  /**
   * Opens the stores (recovering the log and rebuilding dedup state from it) and starts the reactor.
   *
   * @throws MarketingException if a store cannot be opened
   */
  public Marketing build() {
    EventLogConfig logConfig = eventLogConfig != null ? eventLogConfig
        : EventLogConfig.custom(dataDirectory.resolve("log")).fsync(fsync).build();
    return new DefaultMarketing(new EngineSettings(dataDirectory, clock, tracking, logConfig, eventLog,
        dedupStore, ruleEngine, outbox, stateStore, reactorBatch, commitInterval, startReactor, dispatch.build()));
  }
}
