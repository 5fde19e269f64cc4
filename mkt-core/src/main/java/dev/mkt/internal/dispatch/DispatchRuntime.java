package dev.mkt.internal.dispatch;

import static java.util.Objects.requireNonNull;

import dev.mkt.Action;
import dev.mkt.ActionStateException;
import dev.mkt.Contact;
import dev.mkt.Dispatch;
import dev.mkt.DispatchStats;
import dev.mkt.OutboxEntry;
import dev.mkt.OutboxState;
import dev.mkt.spi.Outbox;
import dev.mkt.spi.RuleEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatch as the engine owns it: the outbox (the embedded one unless the builder got another), the channels,
 * and the dispatcher; and the {@link Dispatch} API over them. {@code DefaultMarketing} opens it before the
 * reactor, hands {@link #outbox()} to the reactor, {@link #start()}s it, and closes it after the reactor.
 */
public final class DispatchRuntime implements Dispatch, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DispatchRuntime.class);

  private final Outbox store;
  private final boolean ownsStore;
  private final Outbox signalling;
  private final ChannelRegistry channels;
  private final Dispatcher dispatcher;
  private final Clock clock;
  private final boolean startDispatcher;
  private volatile boolean started;
  private volatile boolean closed;

  private DispatchRuntime(Outbox store, boolean ownsStore, ChannelRegistry channels, Dispatcher dispatcher,
      Clock clock, boolean startDispatcher) {
    this.store = store;
    this.ownsStore = ownsStore;
    this.channels = channels;
    this.dispatcher = dispatcher;
    this.clock = clock;
    this.startDispatcher = startDispatcher;
    this.signalling = new SignallingOutbox(store, dispatcher);
  }

  /**
   * Opens the outbox and the channels, and checks the rules' templates; does not start delivering.
   *
   * @param outbox the builder's outbox (owned by the caller), or {@code null} for the embedded one in
   *     {@code <dataDirectory>/outbox}
   * @param contacts the engine's contact lookup, which overlays API opt-outs the reactor has not applied yet
   * @throws dev.mkt.spi.ChannelConfigurationException for a missing, broken or ambiguous provider, a bad channel
   *     property, or a template the rules use that no channel can render
   */
  public static DispatchRuntime open(DispatchSettings settings, Outbox outbox, Path dataDirectory, Clock clock,
      RuleEngine rules, Function<String, Contact> contacts) {
    requireNonNull(settings, "settings");
    DispatchSettings s = settings;
    if (s.config().unsubscribeUrl() != null && s.unsubscribeTokens() == null) {
      throw new IllegalArgumentException("DispatchConfig.unsubscribeUrl is set, but no UnsubscribeTokens were"
          + " given to sign the links (MarketingBuilder.unsubscribeTokens)");
    }
    boolean owns = outbox == null;
    Outbox store = owns ? Outbox.embedded(dataDirectory.resolve("outbox"), clock, s.config().retention()) : outbox;
    ChannelRegistry registry;
    try {
      if (store.supportsDispatch()) {
        Set<String> templates = rules.templatesReferenced();
        registry = ChannelRegistry.create(s, templates == null ? Set.of() : templates, clock, dataDirectory);
      } else {
        // Nothing is delivered from a decision-recording outbox, so no channel is needed or checked.
        log.info("the outbox {} records decisions only (supportsDispatch() is false): actions are not delivered",
            store.getClass().getName());
        registry = ChannelRegistry.none();
      }
    } catch (RuntimeException e) {
      if (owns) {
        store.close();
      }
      throw e;
    }
    if (s.config().unsubscribeUrl() == null && registry.routes().containsKey("email")) {
      log.warn("email is configured without one-click unsubscribe links (DispatchConfig.unsubscribeUrl); Gmail and"
          + " Yahoo require List-Unsubscribe for bulk senders; see docs/email.md#deliverability");
    }
    Dispatcher d = new Dispatcher(store, registry.routes(), s.config(), clock, contacts, s.consentGates(),
        s.unsubscribeTokens());
    return new DispatchRuntime(store, owns, registry, d, clock, s.start());
  }

  /** The outbox the reactor writes to: puts wake the dispatcher. */
  public Outbox outbox() {
    return signalling;
  }

  /** Starts delivering (unless the settings say not to). */
  public void start() {
    if (startDispatcher && !started && store.supportsDispatch()) {
      started = true;
      dispatcher.start();
    }
  }

  // ------------------------------------------------------------------ Dispatch API

  @Override
  public Optional<OutboxEntry> status(String idempotencyKey) {
    return dispatching().get(requireNonNull(idempotencyKey, "idempotencyKey"));
  }

  @Override
  public List<OutboxEntry> pendingReview(int limit) {
    return dispatching().list(OutboxState.AWAITING_REVIEW, checkLimit(limit));
  }

  private Outbox dispatching() {
    if (!store.supportsDispatch()) {
      throw new ActionStateException("the outbox " + store.getClass().getName() + " records decisions only; it"
          + " has no delivery states (use the embedded outbox or one that supports dispatch)");
    }
    return store;
  }

  @Override
  public OutboxEntry approve(String idempotencyKey, String reviewer) {
    requireNonNull(reviewer, "reviewer");
    if (reviewer.isBlank()) {
      throw new IllegalArgumentException("reviewer must not be blank");
    }
    OutboxEntry cur = require(idempotencyKey, OutboxState.AWAITING_REVIEW, "approve");
    OutboxEntry next = cur.toApproved(clock.instant(), reviewer);
    if (!store.update(next, OutboxState.AWAITING_REVIEW)) {
      throw changed(idempotencyKey, "approve");
    }
    log.info("dispatch: {} approved by {}", idempotencyKey, reviewer);
    dispatcher.wakeUp();
    return next;
  }

  @Override
  public OutboxEntry reject(String idempotencyKey, String reviewer, String reason) {
    requireNonNull(reviewer, "reviewer");
    OutboxEntry cur = require(idempotencyKey, OutboxState.AWAITING_REVIEW, "reject");
    OutboxEntry next = cur.toSuppressed(clock.instant(), "review_rejected: " + (reason == null || reason.isBlank()
        ? "no reason given" : reason)).toBuilder().reviewer(reviewer).build();
    if (!store.update(next, OutboxState.AWAITING_REVIEW)) {
      throw changed(idempotencyKey, "reject");
    }
    log.info("dispatch: {} rejected by {}", idempotencyKey, reviewer);
    return next;
  }

  @Override
  public List<OutboxEntry> deadLetters(int limit) {
    return dispatching().list(OutboxState.DEAD, checkLimit(limit));
  }

  @Override
  public OutboxEntry replay(String idempotencyKey) {
    OutboxEntry cur = require(idempotencyKey, OutboxState.DEAD, "replay");
    OutboxEntry next = cur.toReplayed(clock.instant());
    if (!store.update(next, OutboxState.DEAD)) {
      throw changed(idempotencyKey, "replay");
    }
    log.info("dispatch: {} replayed (was dead: {})", idempotencyKey, cur.reason());
    dispatcher.wakeUp();
    return next;
  }

  @Override
  public DispatchStats stats() {
    return new DispatchStats(store.supportsDispatch() ? store.counts() : Map.of(), dispatcher.channelCounts(), dispatcher.breakerStates(),
        dispatcher.inFlight());
  }

  @Override
  public <T> Optional<T> channel(String channel, Class<T> type) {
    ProviderRoute r = channels.routes().get(channel);
    return r == null ? Optional.empty() : r.primary().channel().unwrap(type);
  }

  @Override
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    if (!store.supportsDispatch() || !started) {
      return true; // nothing is dispatched
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (dispatcher.inFlight() == 0 && store.counts().getOrDefault(OutboxState.SENDING, 0L) == 0) {
        Optional<Instant> next = store.nextDue();
        if (next.isEmpty() || next.get().isAfter(clock.instant())) {
          // Re-check after a beat: a claim may have been in progress.
          Thread.sleep(2);
          if (dispatcher.inFlight() == 0 && store.counts().getOrDefault(OutboxState.SENDING, 0L) == 0) {
            Optional<Instant> again = store.nextDue();
            if (again.isEmpty() || again.get().isAfter(clock.instant())) {
              return true;
            }
          }
        }
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      dispatcher.wakeUp();
      Thread.sleep(5);
    }
  }

  private OutboxEntry require(String key, OutboxState expected, String what) {
    requireNonNull(key, "idempotencyKey");
    OutboxEntry cur = dispatching().get(key).orElseThrow(() -> new ActionStateException(
        "cannot " + what + " action '" + key + "': the outbox has no action with that idempotency key"));
    if (cur.state() != expected) {
      throw new ActionStateException("cannot " + what + " action '" + key + "': it is " + cur.state()
          + (cur.reason() != null ? " (" + cur.reason() + ")" : "") + ", not " + expected);
    }
    return cur;
  }

  private ActionStateException changed(String key, String what) {
    OutboxEntry now = store.get(key).orElse(null);
    return new ActionStateException("cannot " + what + " action '" + key + "': it changed meanwhile and is now "
        + (now == null ? "gone" : now.state()));
  }

  private static int checkLimit(int limit) {
    if (limit < 1 || limit > 100_000) {
      throw new IllegalArgumentException("limit must be in [1, 100000], but was " + limit);
    }
    return limit;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    dispatcher.close();
    channels.close();
    if (ownsStore) {
      store.close();
    }
  }

  /** The outbox as the reactor sees it: a put wakes the dispatcher. */
  private static final class SignallingOutbox implements Outbox {
    private final Outbox delegate;
    private final Dispatcher dispatcher;

    SignallingOutbox(Outbox delegate, Dispatcher dispatcher) {
      this.delegate = delegate;
      this.dispatcher = dispatcher;
    }

    @Override
    public int putAll(Collection<Action> actions) {
      int n = delegate.putAll(actions);
      if (n > 0) {
        dispatcher.wakeUp(n);
      }
      return n;
    }

    @Override
    public void flush() {
      delegate.flush();
    }

    @Override
    public List<OutboxEntry> claimDue(Instant now, int max, Duration lease) {
      return delegate.claimDue(now, max, lease);
    }

    @Override
    public boolean update(OutboxEntry next, OutboxState expected) {
      return delegate.update(next, expected);
    }

    @Override
    public Optional<OutboxEntry> get(String key) {
      return delegate.get(key);
    }

    @Override
    public List<OutboxEntry> list(OutboxState state, int limit) {
      return delegate.list(state, limit);
    }

    @Override
    public Map<OutboxState, Long> counts() {
      return delegate.counts();
    }

    @Override
    public Optional<Instant> nextDue() {
      return delegate.nextDue();
    }

    @Override
    public List<Instant> sentTimes(String userId, String channel, Instant since) {
      return delegate.sentTimes(userId, channel, since);
    }

    @Override
    public List<Instant> sentTimes(String channel, Instant since, int max) {
      return delegate.sentTimes(channel, since, max);
    }

    @Override
    public boolean supportsDispatch() {
      return delegate.supportsDispatch();
    }

  }
}
