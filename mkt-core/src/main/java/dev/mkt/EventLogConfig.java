package dev.mkt;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the embedded event log ({@link dev.mkt.spi.EventLog#embedded(EventLogConfig)}). Immutable.
 *
 * <p>Retention deletes whole closed segments: those whose newest record is older than {@link #retentionAge()},
 * then the oldest while the log is larger than {@link #retentionBytes()}. The active segment is never deleted.
 * A consumer group whose committed position falls before the log's start is moved to the start, and the
 * skipped records are counted and logged at WARN.
 */
public final class EventLogConfig {
  public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;
  public static final Duration DEFAULT_RETENTION_AGE = Duration.ofDays(30);
  /** No size bound. */
  public static final long DEFAULT_RETENTION_BYTES = Long.MAX_VALUE;
  public static final int DEFAULT_BUFFER_BYTES = 4 * 1024 * 1024;

  private final Path directory;
  private final FsyncPolicy fsync;
  private final long segmentBytes;
  private final Duration retentionAge;
  private final long retentionBytes;
  private final int bufferBytes;

  private EventLogConfig(Builder b) {
    this.directory = b.directory;
    this.fsync = b.fsync;
    this.segmentBytes = b.segmentBytes;
    this.retentionAge = b.retentionAge;
    this.retentionBytes = b.retentionBytes;
    this.bufferBytes = b.bufferBytes;
  }

  /** Defaults in {@code directory}. */
  public static EventLogConfig ofDefaults(Path directory) {
    return custom(directory).build();
  }

  public static Builder custom(Path directory) {
    return new Builder(directory);
  }

  public Builder toBuilder() {
    return custom(directory).fsync(fsync).segmentBytes(segmentBytes).retentionAge(retentionAge)
        .retentionBytes(retentionBytes).bufferBytes(bufferBytes);
  }

  public Path directory() { return directory; }

  public FsyncPolicy fsync() { return fsync; }

  public long segmentBytes() { return segmentBytes; }

  public Duration retentionAge() { return retentionAge; }

  public long retentionBytes() { return retentionBytes; }

  /** The size of each of the two in-memory write buffers; a record larger than this is rejected. */
  public int bufferBytes() { return bufferBytes; }

  /** Builds an {@link EventLogConfig}; each setter validates its value. */
  public static final class Builder {
    private final Path directory;
    private FsyncPolicy fsync = FsyncPolicy.groupCommit();
    private long segmentBytes = DEFAULT_SEGMENT_BYTES;
    private Duration retentionAge = DEFAULT_RETENTION_AGE;
    private long retentionBytes = DEFAULT_RETENTION_BYTES;
    private int bufferBytes = DEFAULT_BUFFER_BYTES;

    private Builder(Path directory) {
      this.directory = requireNonNull(directory, "directory");
    }

    public Builder fsync(FsyncPolicy policy) {
      this.fsync = requireNonNull(policy, "fsync");
      return this;
    }

    public Builder segmentBytes(long bytes) {
      if (bytes < 4096) {
        throw new IllegalArgumentException("segmentBytes must be >= 4096, but was " + bytes);
      }
      this.segmentBytes = bytes;
      return this;
    }

    public Builder retentionAge(Duration age) {
      requireNonNull(age, "retentionAge");
      if (age.isNegative() || age.isZero()) {
        throw new IllegalArgumentException("retentionAge must be > 0, but was " + age);
      }
      this.retentionAge = age;
      return this;
    }

    public Builder retentionBytes(long bytes) {
      if (bytes < 4096) {
        throw new IllegalArgumentException("retentionBytes must be >= 4096, but was " + bytes);
      }
      this.retentionBytes = bytes;
      return this;
    }

    public Builder bufferBytes(int bytes) {
      if (bytes < 64 * 1024) {
        throw new IllegalArgumentException("bufferBytes must be >= 65536, but was " + bytes);
      }
      this.bufferBytes = bytes;
      return this;
    }

    public EventLogConfig build() {
      return new EventLogConfig(this);
    }
  }
}
