package dev.mkt.internal.dispatch;

import dev.mkt.Action;
import dev.mkt.Contact;
import dev.mkt.DispatchConfig;
import dev.mkt.DispatchStats;
import dev.mkt.OutboxEntry;
import dev.mkt.OutboxState;
import dev.mkt.Priority;
import dev.mkt.RateLimit;
import dev.mkt.UnsubscribeTokens;
import dev.mkt.internal.Durations;
import dev.mkt.spi.ConsentGate;
import dev.mkt.spi.ConsentVerdict;
import dev.mkt.spi.Delivery;
import dev.mkt.spi.DeliveryResult;
import dev.mkt.spi.Outbox;
import io.github.resilience4j.core.IntervalFunction;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers due outbox actions: a scheduler thread claims due entries while worker slots are free, and each
 * worker runs one entry through the gates, in this order:
 *
 * <ol>
 *   <li>compliance: global opt-out, per-channel unsubscribe, the {@link ConsentGate} hooks, reachability
 *       (e.g. {@code no_address}): suppressed with the reason;</li>
 *   <li>quiet hours in the user's time zone, then the per-user frequency cap: deferred;</li>
 *   <li>review: held for approval;</li>
 *   <li>the channel's sliding-window rate limit: deferred until a slot frees, never dropped;</li>
 *   <li>the providers' circuit breakers: the first provider whose breaker admits the call (failover to the
 *       secondary while the primary's is open), else deferred;</li>
 *   <li>delivery: sent; or retried with exponential backoff and jitter, honouring the provider's Retry-After;
 *       dead-lettered after {@code maxRetries} or on a permanent failure.</li>
 * </ol>
 *
 * <p>Concurrency is bounded by {@link DispatchConfig#concurrency()} worker threads, each claiming due entries
 * itself. Every decision is a
 * compare-and-set on the entry's state in the outbox, and the contact is read when the entry is processed, so
 * an opt-out stops actions already queued.
 */
final class Dispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  static final Duration CONTACT_RETRY = Duration.ofSeconds(30);
  static final Duration GATE_FAILURE_RETRY = Duration.ofMinutes(1);

  private final Outbox outbox;
  private final Map<String, ProviderRoute> routes;
  private final DispatchConfig config;
  private final Clock clock;
  private final Function<String, Contact> contacts;
  private final List<ConsentGate> consentGates;
  private final UnsubscribeTokens tokens;
  private final IntervalFunction backoff;
  private final FrequencyCapGate caps;
  private final Map<String, Optional<SlidingWindowRateLimiter>> limiters = new ConcurrentHashMap<>();
  private final Map<String, Counters> counters = new ConcurrentHashMap<>();

  private final List<Thread> workers = new java.util.ArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Object signal = new Object();
  private long signals;
  private volatile boolean running;

  /** Counts per channel since start. */
  static final class Counters {
    final LongAdder sent = new LongAdder();
    final LongAdder suppressed = new LongAdder();
    final LongAdder retried = new LongAdder();
    final LongAdder deferred = new LongAdder();
    final LongAdder dead = new LongAdder();
    final LongAdder failedOver = new LongAdder();

    DispatchStats.ChannelCounts snapshot() {
      return new DispatchStats.ChannelCounts(sent.sum(), suppressed.sum(), retried.sum(), deferred.sum(),
          dead.sum(), failedOver.sum());
    }
  }

  Dispatcher(Outbox outbox, Map<String, ProviderRoute> routes, DispatchConfig config, Clock clock,
      Function<String, Contact> contacts, List<ConsentGate> consentGates, UnsubscribeTokens tokens) {
    this.outbox = outbox;
    this.routes = routes;
    this.config = config;
    this.clock = clock;
    this.contacts = contacts;
    this.consentGates = consentGates;
    this.tokens = tokens;
    this.backoff = IntervalFunction.ofExponentialRandomBackoff(config.retryInitialInterval(),
        config.retryMultiplier(), config.retryJitter(), config.retryMaxInterval());
    this.caps = new FrequencyCapGate(config.frequencyCaps(), outbox);
  }

  /** Starts {@code concurrency} workers; each claims due entries itself and runs them through the gates. */
  void start() {
    running = true;
    for (int i = 1; i <= config.concurrency(); i++) {
      Thread t = new Thread(this::work, "mkt-dispatch-" + i);
      t.setDaemon(true);
      workers.add(t);
      t.start();
    }
  }

  /** Wakes the workers: something became due (an approval, a replay). */
  void wakeUp() {
    wakeUp(Integer.MAX_VALUE);
  }

  /**
   * Wakes at most {@code entries} waiting workers: {@code entries} actions became due. Waking all 16 workers for
   * each single put made 15 of them claim nothing and wait again, thousands of times a second at a steady
   * stream of events. A worker that is busy claims again before it waits, and the signal count stops a worker
   * from waiting on a signal it missed, so waking fewer never strands an entry.
   */
  void wakeUp(int entries) {
    synchronized (signal) {
      signals++;
      if (entries >= config.concurrency()) {
        signal.notifyAll();
      } else {
        for (int i = 0; i < entries; i++) {
          signal.notify();
        }
      }
    }
  }

  int inFlight() {
    return inFlight.get();
  }

  // ------------------------------------------------------------------ workers

  /**
   * A worker: claim one due entry, process it, repeat; when nothing is due, wait for the next due time, a signal
   * or the poll interval. Workers pull work themselves, so a busy dispatcher has no hand-off between a scheduler
   * and its workers.
   */
  private void work() {
    long pollMillis = config.pollInterval().toMillis();
    while (running) {
      try {
        long seen;
        synchronized (signal) {
          seen = signals;
        }
        List<OutboxEntry> claimed = outbox.claimDue(clock.instant(), 1, config.claimLease());
        if (claimed.isEmpty()) {
          long wait = pollMillis;
          Optional<Instant> next = outbox.nextDue();
          if (next.isPresent()) {
            wait = Math.max(1, Math.min(pollMillis, next.get().toEpochMilli() - clock.millis()));
          }
          synchronized (signal) {
            if (signals == seen && running) {
              signal.wait(wait);
            }
          }
          continue;
        }
        for (OutboxEntry e : claimed) {
          runOne(e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.error("dispatch: worker failure; retrying in 1 s", e);
        try {
          Thread.sleep(1000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void runOne(OutboxEntry e) {
    inFlight.incrementAndGet();
    try {
      process(e);
    } catch (RuntimeException | Error ex) {
      // The entry stays SENDING; its lease expires and it is claimed again. Nothing is lost.
      log.error("dispatch: processing {} failed; it will be retried when its claim expires", e.key(), ex);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  // ------------------------------------------------------------------ the gates

  void process(OutboxEntry entry) {
    Action a = entry.action();
    String ch = a.channel();
    Instant now = clock.instant();
    ProviderRoute route = routes.get(ch);
    if (route == null) {
      finish(entry, entry.toDead(now, null, "no_channel: no provider serves channel '" + ch + "'; see "
          + ChannelRegistry.MISSING, false), ch, c -> c.dead);
      return;
    }
    Contact contact;
    try {
      contact = contacts.apply(a.userId());
    } catch (RuntimeException ex) {
      defer(entry, now, now.plus(CONTACT_RETRY), "contact_lookup_failed: " + ex);
      return;
    }

    // 1. Compliance.
    if (contact.optedOut()) {
      suppress(entry, now, "opted_out");
      return;
    }
    for (String c : ChannelNames.selfAndFamilies(ch)) {
      if (contact.unsubscribed(c)) {
        suppress(entry, now, "unsubscribed:" + c);
        return;
      }
    }
    for (ConsentGate gate : consentGates) {
      ConsentVerdict v;
      try {
        v = gate.check(a, contact, now);
      } catch (RuntimeException ex) {
        log.warn("dispatch: consent gate {} failed for {}; deferring: {}", gate.getClass().getName(), a.idempotencyKey(),
            ex.toString());
        defer(entry, now, now.plus(GATE_FAILURE_RETRY), "consent_gate_failed: " + ex);
        return;
      }
      if (v == null || v.allowed()) {
        continue;
      }
      if (v.outcome() == ConsentVerdict.Outcome.SUPPRESS) {
        suppress(entry, now, v.reason());
      } else {
        defer(entry, now, v.until(), v.reason());
      }
      return;
    }
    Optional<String> unreachable;
    try {
      unreachable = route.primary().channel().unreachable(contact);
    } catch (RuntimeException ex) {
      unreachable = Optional.of("unreachable_check_failed: " + ex);
    }
    if (unreachable.isPresent()) {
      suppress(entry, now, unreachable.get());
      return;
    }

    // 2. Quiet hours (the user's time zone), then the frequency cap.
    Optional<Instant> quiet = config.quietHours().deferUntil(ch, now, contact.timezone());
    if (quiet.isPresent()) {
      defer(entry, now, quiet.get(), "quiet_hours");
      return;
    }
    FrequencyCapGate.Reservation reservation = null;
    if (a.priority() != Priority.HIGH) {
      reservation = caps.reserve(a.userId(), ch, now);
      if (!reservation.granted()) {
        defer(entry, now, reservation.deferUntil, reservation.reason);
        return;
      }
    }
    try {
      // 3. Review.
      if (!entry.approved() && (a.reviewRequired() || config.reviewRequired(ch))) {
        String why = a.reviewRequired() ? "review_required: marked by rule " + a.rule()
            : "review_required: channel " + ch;
        if (outbox.update(entry.toAwaitingReview(now, why), OutboxState.SENDING)) {
          log.debug("dispatch: {} awaits review", a.idempotencyKey());
        }
        return;
      }
      // 4. Rate limit.
      SlidingWindowRateLimiter limiter = limiter(ch, now);
      long permit = -1;
      if (limiter != null) {
        permit = limiter.tryAcquire();
        if (permit < 0) {
          defer(entry, now, limiter.nextAvailable(), "rate_limited: " + limiter.limit() + " per "
              + Durations.format(limiter.window()) + " on " + ch);
          return;
        }
      }
      // 5-8. Breakers, failover, delivery, retries, dead letter.
      deliver(entry, route, contact, limiter, permit, now);
    } finally {
      if (reservation != null) {
        reservation.release();
      }
    }
  }

  private void deliver(OutboxEntry entry, ProviderRoute route, Contact contact, SlidingWindowRateLimiter limiter,
      long permit, Instant now) {
    Action a = entry.action();
    String ch = a.channel();
    ProviderRoute.Provider p = route.pick();
    if (p == null) {
      if (limiter != null) {
        limiter.release(permit);
      }
      defer(entry, now, now.plus(config.breakerOpenWait()), "circuit_open: "
          + route.providers().stream().map(ProviderRoute.Provider::id).reduce((x, y) -> x + ", " + y).orElse(""));
      return;
    }
    URI unsubscribe = tokens != null && config.unsubscribeUrl() != null
        ? tokens.link(config.unsubscribeUrl(), a.userId(), ch) : null;
    Delivery d = new Delivery(a, contact, entry.attempts() + 1, unsubscribe, now);
    long t0 = System.nanoTime();
    DeliveryResult r;
    try {
      r = p.channel().deliver(d);
      if (r == null) {
        r = DeliveryResult.retryLater("channel " + p.id() + " returned no result");
      }
    } catch (RuntimeException | LinkageError ex) {
      r = DeliveryResult.retryLater("exception: " + ex);
    }
    long took = System.nanoTime() - t0;
    Instant done = clock.instant();
    switch (r.status()) {
      case SENT:
        p.breaker().onSuccess(took, TimeUnit.NANOSECONDS);
        Counters cs = counters(ch);
        if (p != route.primary()) {
          cs.failedOver.increment();
        }
        finish(entry, entry.toSent(done, p.id(), r.providerMessageId().orElse(null)), ch, c -> c.sent);
        log.debug("dispatch: {} sent by {}", a.idempotencyKey(), p.id());
        return;
      case FAILED:
        // The provider answered; the problem is this action. The provider stays healthy.
        p.breaker().onSuccess(took, TimeUnit.NANOSECONDS);
        if (limiter != null) {
          limiter.release(permit);
        }
        finish(entry, entry.toDead(done, p.id(), r.reason(), true), ch, c -> c.dead);
        log.warn("dispatch: {} dead-lettered by {}: {}", a.idempotencyKey(), p.id(), r.reason());
        return;
      default:
        p.breaker().onError(took, TimeUnit.NANOSECONDS, new DeliveryFailure(p.id(), r.reason()));
        if (limiter != null) {
          limiter.release(permit);
        }
        int attempts = entry.attempts() + 1;
        if (attempts > config.limits().maxRetries()) {
          finish(entry, entry.toDead(done, p.id(), "max_retries_exceeded: " + attempts + " attempts, last: "
              + r.reason(), true), ch, c -> c.dead);
          log.warn("dispatch: {} dead-lettered after {} attempts: {}", a.idempotencyKey(), attempts, r.reason());
          return;
        }
        Instant next = done.plusMillis(backoff.apply(attempts));
        if (r.retryAt().isPresent() && r.retryAt().get().isAfter(next)) {
          next = r.retryAt().get();
        }
        finish(entry, entry.toRetrying(done, next, p.id(), r.reason()), ch, c -> c.retried);
        log.debug("dispatch: {} attempt {} via {} failed, retry at {}: {}", a.idempotencyKey(), attempts, p.id(),
            next, r.reason());
    }
  }

  private SlidingWindowRateLimiter limiter(String channel, Instant now) {
    return limiters.computeIfAbsent(channel, ch -> {
      RateLimit best = null;
      for (RateLimit r : config.limits().rateLimits()) {
        if (ChannelNames.matches(r.channel(), ch)
            && (best == null || r.channel().length() > best.channel().length())) {
          best = r; // the most specific limit wins
        }
      }
      if (best == null) {
        return Optional.empty();
      }
      SlidingWindowRateLimiter l = new SlidingWindowRateLimiter("mkt-" + ch, best.limit(), best.period(), clock);
      l.seed(outbox.sentTimes(ch, now.minus(best.period()), best.limit()));
      return Optional.of(l);
    }).orElse(null);
  }

  private void suppress(OutboxEntry entry, Instant now, String reason) {
    finish(entry, entry.toSuppressed(now, reason), entry.action().channel(), c -> c.suppressed);
    log.debug("dispatch: {} suppressed: {}", entry.key(), reason);
  }

  private void defer(OutboxEntry entry, Instant now, Instant until, String reason) {
    finish(entry, entry.toDeferred(now, until, reason), entry.action().channel(), c -> c.deferred);
  }

  private void finish(OutboxEntry entry, OutboxEntry next, String channel, Function<Counters, LongAdder> counter) {
    if (outbox.update(next, OutboxState.SENDING)) {
      counter.apply(counters(channel)).increment();
    } else {
      log.warn("dispatch: {} changed state while being processed (claim expired?); outcome {} not recorded",
          entry.key(), next.state());
    }
  }

  private Counters counters(String channel) {
    return counters.computeIfAbsent(channel, c -> new Counters());
  }

  Map<String, DispatchStats.ChannelCounts> channelCounts() {
    Map<String, DispatchStats.ChannelCounts> out = new TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.snapshot()));
    return out;
  }

  Map<String, String> breakerStates() {
    Map<String, String> out = new TreeMap<>();
    for (ProviderRoute r : routes.values()) {
      for (ProviderRoute.Provider p : r.providers()) {
        out.put(p.id(), p.breaker().getState().name());
      }
    }
    return out;
  }

  /** Stops claiming, waits up to {@code timeout} for deliveries in flight. */
  void stop(Duration timeout) {
    running = false;
    wakeUp();
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread t : workers) {
      try {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (inFlight.get() > 0) {
      log.warn("dispatch: {} deliveries still in flight at shutdown; they are retried after restart",
          inFlight.get());
      workers.forEach(Thread::interrupt);
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(30));
  }

  /** Recorded as the breaker's error for a failed attempt. */
  static final class DeliveryFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DeliveryFailure(String provider, String reason) {
      super(provider + ": " + reason, null, false, false);
    }
  }
}
