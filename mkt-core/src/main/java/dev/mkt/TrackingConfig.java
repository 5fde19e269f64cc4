package dev.mkt;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Validation limits and deduplication for {@link Marketing#trackMarketingEvent}. Immutable.
 *
 * <pre>{@code
 * TrackingConfig config = TrackingConfig.custom()
 *     .maxPayloadBytes(64 * 1024)
 *     .dedupWindow(Duration.ofHours(2))
 *     .build();
 * }</pre>
 */
public final class TrackingConfig {
  /** 32 KiB, measured on the payload's UTF-8 JSON. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 32 * 1024;
  public static final int DEFAULT_MAX_DEPTH = 32;
  public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofHours(24);
  public static final int DEFAULT_MAX_ID_LENGTH = 256;
  public static final Duration DEFAULT_DEDUP_WINDOW = Duration.ofHours(1);

  private static final TrackingConfig DEFAULTS = custom().build();

  private final int maxPayloadBytes;
  private final int maxDepth;
  private final Duration maxFutureSkew;
  private final int maxIdLength;
  private final Duration dedupWindow;
  private final DedupKeyStrategy dedupKey;

  private TrackingConfig(Builder b) {
    this.maxPayloadBytes = b.maxPayloadBytes;
    this.maxDepth = b.maxDepth;
    this.maxFutureSkew = b.maxFutureSkew;
    this.maxIdLength = b.maxIdLength;
    this.dedupWindow = b.dedupWindow;
    this.dedupKey = b.dedupKey;
  }

  public static TrackingConfig ofDefaults() {
    return DEFAULTS;
  }

  public static Builder custom() {
    return new Builder();
  }

  /** Builder starting from this config. */
  public Builder toBuilder() {
    return custom().maxPayloadBytes(maxPayloadBytes).maxDepth(maxDepth).maxFutureSkew(maxFutureSkew)
        .maxIdLength(maxIdLength).dedupWindow(dedupWindow).dedupKey(dedupKey);
  }

  public int maxPayloadBytes() { return maxPayloadBytes; }

  public int maxDepth() { return maxDepth; }

  public Duration maxFutureSkew() { return maxFutureSkew; }

  public int maxIdLength() { return maxIdLength; }

  public Duration dedupWindow() { return dedupWindow; }

  public DedupKeyStrategy dedupKey() { return dedupKey; }

  /** Builds a {@link TrackingConfig}; each setter validates its value. */
  public static final class Builder {
    private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
    private int maxDepth = DEFAULT_MAX_DEPTH;
    private Duration maxFutureSkew = DEFAULT_MAX_FUTURE_SKEW;
    private int maxIdLength = DEFAULT_MAX_ID_LENGTH;
    private Duration dedupWindow = DEFAULT_DEDUP_WINDOW;
    private DedupKeyStrategy dedupKey = DedupKeyStrategy.eventId();

    private Builder() {}

    public Builder maxPayloadBytes(int bytes) {
      if (bytes < 2 || bytes > 16 * 1024 * 1024) {
        throw new IllegalArgumentException("maxPayloadBytes must be in [2, 16 MiB], but was " + bytes);
      }
      this.maxPayloadBytes = bytes;
      return this;
    }

    public Builder maxDepth(int depth) {
      if (depth < 1 || depth > 1000) {
        throw new IllegalArgumentException("maxDepth must be in [1, 1000], but was " + depth);
      }
      this.maxDepth = depth;
      return this;
    }

    public Builder maxFutureSkew(Duration skew) {
      requireNonNull(skew, "maxFutureSkew");
      if (skew.isNegative()) {
        throw new IllegalArgumentException("maxFutureSkew must be >= 0, but was " + skew);
      }
      this.maxFutureSkew = skew;
      return this;
    }

    public Builder maxIdLength(int length) {
      if (length < 8 || length > 4096) {
        throw new IllegalArgumentException("maxIdLength must be in [8, 4096], but was " + length);
      }
      this.maxIdLength = length;
      return this;
    }

    /** How long a dedup key is remembered. */
    public Builder dedupWindow(Duration window) {
      requireNonNull(window, "dedupWindow");
      if (window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("dedupWindow must be > 0, but was " + window);
      }
      this.dedupWindow = window;
      return this;
    }

    public Builder dedupKey(DedupKeyStrategy strategy) {
      this.dedupKey = requireNonNull(strategy, "dedupKey");
      return this;
    }

    public TrackingConfig build() {
      return new TrackingConfig(this);
    }
  }
}
