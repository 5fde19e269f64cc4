package dev.mkt;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How the dispatcher delivers actions: limits, frequency caps, quiet hours, review, retries, circuit breakers,
 * concurrency. Immutable; every setter validates its value and names it in the error.
 *
 * <pre>{@code
 * DispatchConfig config = DispatchConfig.custom()
 *     .limits(DispatchLimits.custom().emailPerHour(500).maxRetries(3).build())
 *     .frequencyCaps(FrequencyCap.of("email", 3, Duration.ofDays(1)))
 *     .quietHours(QuietHours.between(LocalTime.of(21, 0), LocalTime.of(8, 0)))
 *     .reviewRequired("social.linkedin")
 *     .unsubscribeUrl(URI.create("https://app.example.com/mkt/unsubscribe"))
 *     .build();
 * }</pre>
 *
 * <p>The gates run in this order for every due action: compliance (global opt-out, per-channel unsubscribe,
 * {@link dev.mkt.spi.ConsentGate}s, reachability) → quiet hours and frequency cap → review → rate limit →
 * circuit breaker and failover → delivery, with retries and dead letters. See docs/architecture.md.
 */
public final class DispatchConfig {
  /** Email: three per user per day, unless {@link Priority#HIGH}. */
  public static final List<FrequencyCap> DEFAULT_FREQUENCY_CAPS =
      List.of(FrequencyCap.of("email", 3, Duration.ofDays(1)));
  public static final int DEFAULT_CONCURRENCY = 16;
  public static final Duration DEFAULT_RETRY_INITIAL_INTERVAL = Duration.ofSeconds(30);
  public static final double DEFAULT_RETRY_MULTIPLIER = 2.0;
  public static final double DEFAULT_RETRY_JITTER = 0.5;
  public static final Duration DEFAULT_RETRY_MAX_INTERVAL = Duration.ofHours(1);
  public static final float DEFAULT_BREAKER_FAILURE_RATE = 50f;
  public static final int DEFAULT_BREAKER_MINIMUM_CALLS = 5;
  public static final int DEFAULT_BREAKER_WINDOW = 20;
  public static final Duration DEFAULT_BREAKER_OPEN_WAIT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(100);
  public static final Duration DEFAULT_CLAIM_LEASE = Duration.ofMinutes(5);

  private static final DispatchConfig DEFAULTS = custom().build();

  private final DispatchLimits limits;
  private final List<FrequencyCap> frequencyCaps;
  private final QuietHours quietHours;
  private final Set<String> reviewRequired;
  private final int concurrency;
  private final Duration retryInitialInterval;
  private final double retryMultiplier;
  private final double retryJitter;
  private final Duration retryMaxInterval;
  private final float breakerFailureRate;
  private final int breakerMinimumCalls;
  private final int breakerWindow;
  private final Duration breakerOpenWait;
  private final Duration pollInterval;
  private final Duration claimLease;
  private final Duration retention;
  private final URI unsubscribeUrl;

  private DispatchConfig(Builder b) {
    this.limits = b.limits;
    this.frequencyCaps = List.copyOf(b.frequencyCaps);
    this.quietHours = b.quietHours;
    this.reviewRequired = Set.copyOf(b.reviewRequired);
    this.concurrency = b.concurrency;
    this.retryInitialInterval = b.retryInitialInterval;
    this.retryMultiplier = b.retryMultiplier;
    this.retryJitter = b.retryJitter;
    this.retryMaxInterval = b.retryMaxInterval;
    this.breakerFailureRate = b.breakerFailureRate;
    this.breakerMinimumCalls = b.breakerMinimumCalls;
    this.breakerWindow = b.breakerWindow;
    this.breakerOpenWait = b.breakerOpenWait;
    this.pollInterval = b.pollInterval;
    this.claimLease = b.claimLease;
    this.retention = b.retention;
    this.unsubscribeUrl = b.unsubscribeUrl;
  }

  public static DispatchConfig ofDefaults() {
    return DEFAULTS;
  }

  public static Builder custom() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.limits = limits;
    b.frequencyCaps = frequencyCaps;
    b.quietHours = quietHours;
    b.reviewRequired = new LinkedHashSet<>(reviewRequired);
    b.concurrency = concurrency;
    b.retryInitialInterval = retryInitialInterval;
    b.retryMultiplier = retryMultiplier;
    b.retryJitter = retryJitter;
    b.retryMaxInterval = retryMaxInterval;
    b.breakerFailureRate = breakerFailureRate;
    b.breakerMinimumCalls = breakerMinimumCalls;
    b.breakerWindow = breakerWindow;
    b.breakerOpenWait = breakerOpenWait;
    b.pollInterval = pollInterval;
    b.claimLease = claimLease;
    b.retention = retention;
    b.unsubscribeUrl = unsubscribeUrl;
    return b;
  }

  public DispatchLimits limits() { return limits; }

  public List<FrequencyCap> frequencyCaps() { return frequencyCaps; }

  public QuietHours quietHours() { return quietHours; }

  /** Channels (or families, e.g. {@code social}) whose actions wait for a human's approval. */
  public Set<String> reviewRequired() { return reviewRequired; }

  /** Whether actions on {@code channel} need review. */
  public boolean reviewRequired(String channel) {
    for (String r : reviewRequired) {
      if (channel.equals(r) || channel.startsWith(r + ".") || channel.endsWith("." + r)) {
        return true;
      }
    }
    return false;
  }

  /** Deliveries in flight at once, across channels. */
  public int concurrency() { return concurrency; }

  public Duration retryInitialInterval() { return retryInitialInterval; }

  public double retryMultiplier() { return retryMultiplier; }

  /** The randomization factor of the backoff: each wait is drawn from {@code [w(1-j), w(1+j)]}. */
  public double retryJitter() { return retryJitter; }

  public Duration retryMaxInterval() { return retryMaxInterval; }

  /** The failure rate (percent) at which a provider's circuit breaker opens. */
  public float breakerFailureRate() { return breakerFailureRate; }

  /** Calls a breaker needs to see before it may open. */
  public int breakerMinimumCalls() { return breakerMinimumCalls; }

  /** How many recent calls a breaker's failure rate is computed over. */
  public int breakerWindow() { return breakerWindow; }

  /** How long a breaker stays open before it lets trial calls through. */
  public Duration breakerOpenWait() { return breakerOpenWait; }

  /** How often the idle dispatcher looks for due actions (new and approved ones wake it at once). */
  public Duration pollInterval() { return pollInterval; }

  /** How long a claimed action is reserved for its dispatcher before another may take it over. */
  public Duration claimLease() { return claimLease; }

  /** How long sent and suppressed actions are kept in the embedded outbox (their keys stay taken). */
  public Duration retention() { return retention; }

  /** Where one-click unsubscribe links point ({@code ?token=} is appended); {@code null}: no links. */
  public URI unsubscribeUrl() { return unsubscribeUrl; }

  @Override
  public String toString() {
    return "DispatchConfig{limits=" + limits + ", frequencyCaps=" + frequencyCaps + ", quietHours=" + quietHours
        + ", reviewRequired=" + reviewRequired + ", concurrency=" + concurrency + '}';
  }

  /** Builds a {@link DispatchConfig}. */
  public static final class Builder {
    private DispatchLimits limits = DispatchLimits.ofDefaults();
    private List<FrequencyCap> frequencyCaps = DEFAULT_FREQUENCY_CAPS;
    private QuietHours quietHours = QuietHours.none();
    private Set<String> reviewRequired = new LinkedHashSet<>();
    private int concurrency = DEFAULT_CONCURRENCY;
    private Duration retryInitialInterval = DEFAULT_RETRY_INITIAL_INTERVAL;
    private double retryMultiplier = DEFAULT_RETRY_MULTIPLIER;
    private double retryJitter = DEFAULT_RETRY_JITTER;
    private Duration retryMaxInterval = DEFAULT_RETRY_MAX_INTERVAL;
    private float breakerFailureRate = DEFAULT_BREAKER_FAILURE_RATE;
    private int breakerMinimumCalls = DEFAULT_BREAKER_MINIMUM_CALLS;
    private int breakerWindow = DEFAULT_BREAKER_WINDOW;
    private Duration breakerOpenWait = DEFAULT_BREAKER_OPEN_WAIT;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration claimLease = DEFAULT_CLAIM_LEASE;
    private Duration retention = dev.mkt.spi.Outbox.DEFAULT_RETENTION;
    private URI unsubscribeUrl;

    private Builder() {}

    public Builder limits(DispatchLimits limits) {
      this.limits = requireNonNull(limits, "limits");
      return this;
    }

    /** Replaces the frequency caps (default: email 3 per day). No arguments: no caps. */
    public Builder frequencyCaps(FrequencyCap... caps) {
      for (FrequencyCap c : caps) {
        requireNonNull(c, "frequency cap");
      }
      this.frequencyCaps = List.of(caps);
      return this;
    }

    public Builder quietHours(QuietHours quietHours) {
      this.quietHours = requireNonNull(quietHours, "quietHours");
      return this;
    }

    /** Channels needing approval, e.g. {@code social.linkedin} (or {@code linkedin}, {@code social}). */
    public Builder reviewRequired(String... channels) {
      Set<String> s = new LinkedHashSet<>();
      for (String c : channels) {
        if (c == null || c.isBlank()) {
          throw new IllegalArgumentException("reviewRequired channel must not be blank, but was "
              + Arrays.toString(channels));
        }
        s.add(c.trim());
      }
      this.reviewRequired = s;
      return this;
    }

    public Builder concurrency(int n) {
      if (n < 1 || n > 1024) {
        throw new IllegalArgumentException("dispatch concurrency must be in [1, 1024], but was " + n);
      }
      this.concurrency = n;
      return this;
    }

    /**
     * Exponential backoff with jitter between retries: {@code initial * multiplier^(retry-1)}, randomized by
     * {@code jitter}, at most {@code max}. A provider's Retry-After wins when it is later.
     */
    public Builder retryBackoff(Duration initial, double multiplier, double jitter, Duration max) {
      requireNonNull(initial, "initial");
      requireNonNull(max, "max");
      if (initial.isNegative() || initial.isZero()) {
        throw new IllegalArgumentException("retry initial interval must be > 0, but was " + initial);
      }
      if (!(multiplier >= 1.0) || multiplier > 100) {
        throw new IllegalArgumentException("retry multiplier must be in [1, 100], but was " + multiplier);
      }
      if (!(jitter >= 0.0) || jitter >= 1.0) {
        throw new IllegalArgumentException("retry jitter must be in [0, 1), but was " + jitter);
      }
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("retry max interval must be >= the initial " + initial + ", but was "
            + max);
      }
      this.retryInitialInterval = initial;
      this.retryMultiplier = multiplier;
      this.retryJitter = jitter;
      this.retryMaxInterval = max;
      return this;
    }

    /**
     * Each provider's circuit breaker opens when at least {@code failureRatePercent} of its last
     * {@code window} calls failed (after {@code minimumCalls}), and stays open for {@code openWait}.
     */
    public Builder circuitBreaker(float failureRatePercent, int minimumCalls, int window, Duration openWait) {
      requireNonNull(openWait, "openWait");
      if (!(failureRatePercent > 0) || failureRatePercent > 100) {
        throw new IllegalArgumentException("breaker failure rate must be in (0, 100], but was " + failureRatePercent);
      }
      if (minimumCalls < 1) {
        throw new IllegalArgumentException("breaker minimumCalls must be >= 1, but was " + minimumCalls);
      }
      if (window < 1) {
        throw new IllegalArgumentException("breaker window must be >= 1, but was " + window);
      }
      if (openWait.isNegative() || openWait.isZero()) {
        throw new IllegalArgumentException("breaker open wait must be > 0, but was " + openWait);
      }
      this.breakerFailureRate = failureRatePercent;
      this.breakerMinimumCalls = minimumCalls;
      this.breakerWindow = window;
      this.breakerOpenWait = openWait;
      return this;
    }

    public Builder pollInterval(Duration d) {
      requireNonNull(d, "pollInterval");
      if (d.toMillis() < 1 || d.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException("pollInterval must be in [1ms, 1m], but was " + d);
      }
      this.pollInterval = d;
      return this;
    }

    public Builder claimLease(Duration d) {
      requireNonNull(d, "claimLease");
      if (d.compareTo(Duration.ofSeconds(10)) < 0) {
        throw new IllegalArgumentException("claimLease must be >= 10s, but was " + d);
      }
      this.claimLease = d;
      return this;
    }

    public Builder retention(Duration d) {
      requireNonNull(d, "retention");
      if (d.compareTo(Duration.ofHours(1)) < 0) {
        throw new IllegalArgumentException("outbox retention must be >= 1h, but was " + d);
      }
      this.retention = d;
      return this;
    }

    /** The one-click unsubscribe endpoint, absolute https (http only for localhost). */
    public Builder unsubscribeUrl(URI url) {
      requireNonNull(url, "unsubscribeUrl");
      String scheme = url.getScheme();
      boolean local = url.getHost() != null
          && (url.getHost().equals("localhost") || url.getHost().equals("127.0.0.1"));
      if (!url.isAbsolute() || !("https".equals(scheme) || ("http".equals(scheme) && local))) {
        throw new IllegalArgumentException("unsubscribeUrl must be an absolute https URL (RFC 8058), but was "
            + url);
      }
      if (url.getRawFragment() != null) {
        throw new IllegalArgumentException("unsubscribeUrl must not have a fragment, but was " + url);
      }
      this.unsubscribeUrl = url;
      return this;
    }

    public DispatchConfig build() {
      return new DispatchConfig(this);
    }
  }
}
