package dev.mkt;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed configuration's {@code limits}: {@code emailPerHour: 500}, {@code socialPostPerDay: 3},
 * {@code maxRetries: 3}, plus rate limits of other channels. Immutable.
 *
 * <pre>{@code
 * DispatchLimits limits = DispatchLimits.custom().emailPerHour(200).maxRetries(5)
 *     .rateLimit("crm", 100, Duration.ofMinutes(1)).build();
 * }</pre>
 */
public final class DispatchLimits {
  public static final int DEFAULT_EMAIL_PER_HOUR = 500;
  public static final int DEFAULT_SOCIAL_POST_PER_DAY = 3;
  public static final int DEFAULT_MAX_RETRIES = 3;

  private static final DispatchLimits DEFAULTS = custom().build();

  private final int emailPerHour;
  private final int socialPostPerDay;
  private final int maxRetries;
  private final List<RateLimit> rateLimits;
  private final List<RateLimit> extra;

  private DispatchLimits(Builder b) {
    this.extra = List.copyOf(b.extra);
    this.emailPerHour = b.emailPerHour;
    this.socialPostPerDay = b.socialPostPerDay;
    this.maxRetries = b.maxRetries;
    Map<String, RateLimit> all = new LinkedHashMap<>();
    all.put("email", new RateLimit("email", emailPerHour, Duration.ofHours(1)));
    all.put("social", new RateLimit("social", socialPostPerDay, Duration.ofDays(1)));
    b.extra.forEach(r -> all.put(r.channel(), r));
    this.rateLimits = List.copyOf(all.values());
  }

  public static DispatchLimits ofDefaults() {
    return DEFAULTS;
  }

  public static Builder custom() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = custom().emailPerHour(emailPerHour).socialPostPerDay(socialPostPerDay).maxRetries(maxRetries);
    extra.forEach(r -> b.rateLimit(r.channel(), r.limit(), r.period()));
    return b;
  }

  /** Emails per sliding hour, across all users. Default 500. */
  public int emailPerHour() { return emailPerHour; }

  /** Posts per sliding day on each social network. Default 3. */
  public int socialPostPerDay() { return socialPostPerDay; }

  /** Retries after the first attempt before an action is dead-lettered. Default 3 (so 4 attempts). */
  public int maxRetries() { return maxRetries; }

  /** Every rate limit, the email and social ones first. */
  public List<RateLimit> rateLimits() { return rateLimits; }

  @Override
  public String toString() {
    return "DispatchLimits{emailPerHour=" + emailPerHour + ", socialPostPerDay=" + socialPostPerDay
        + ", maxRetries=" + maxRetries + ", rateLimits=" + rateLimits + '}';
  }

  /** Builds {@link DispatchLimits}; each setter validates its value. */
  public static final class Builder {
    private int emailPerHour = DEFAULT_EMAIL_PER_HOUR;
    private int socialPostPerDay = DEFAULT_SOCIAL_POST_PER_DAY;
    private int maxRetries = DEFAULT_MAX_RETRIES;
    private final List<RateLimit> extra = new ArrayList<>();

    private Builder() {}

    public Builder emailPerHour(int n) {
      if (n <= 0) {
        throw new IllegalArgumentException("emailPerHour must be > 0, but was " + n);
      }
      this.emailPerHour = n;
      return this;
    }

    public Builder socialPostPerDay(int n) {
      if (n <= 0) {
        throw new IllegalArgumentException("socialPostPerDay must be > 0, but was " + n);
      }
      this.socialPostPerDay = n;
      return this;
    }

    public Builder maxRetries(int n) {
      if (n < 0 || n > 100) {
        throw new IllegalArgumentException("maxRetries must be in [0, 100], but was " + n);
      }
      this.maxRetries = n;
      return this;
    }

    /** A rate limit of another channel (or family); {@code email}/{@code social} here replace the defaults. */
    public Builder rateLimit(String channel, int limit, Duration period) {
      RateLimit r = new RateLimit(requireNonNull(channel, "channel"), limit, period);
      if (channel.equals("email") && period.equals(Duration.ofHours(1))) {
        return emailPerHour(limit);
      }
      if (channel.equals("social") && period.equals(Duration.ofDays(1))) {
        return socialPostPerDay(limit);
      }
      extra.removeIf(x -> x.channel().equals(channel));
      extra.add(r);
      return this;
    }

    public DispatchLimits build() {
      return new DispatchLimits(this);
    }
  }
}
