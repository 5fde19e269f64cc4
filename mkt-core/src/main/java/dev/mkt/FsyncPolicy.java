package dev.mkt;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Objects;

/**
 * When the embedded event log forces its writes to stable storage.
 *
 * <ul>
 *   <li>{@link #always()}: {@code track()} returns only after the record is written and fsynced. Concurrent
 *       callers share one fsync (natural group commit), but every caller waits for a disk flush, so the
 *       throughput of one thread is bounded by fsync latency (typically 0.1–10 ms). Nothing accepted is
 *       lost, even on power failure.</li>
 *   <li>{@link #groupCommit(Duration, int)} (the default: 2 ms, 8192 records): {@code track()} returns as
 *       soon as the record is in the log's in-memory write buffer. A background writer writes and fsyncs the
 *       buffer when the oldest record is {@code window} old or {@code maxBatch} records wait.
 *       {@link TrackResult#durable()} completes after that fsync. A crash of the process (kill -9) or the
 *       machine can lose the records accepted in the last window whose {@code durable()} had not completed;
 *       it never loses a record whose {@code durable()} completed, and it never leaves a half record.</li>
 *   <li>{@link #never()}: as group commit, but the writer only hands the bytes to the operating system
 *       ({@code write}) and never fsyncs; {@code durable()} completes after that write. A process crash
 *       loses nothing already written; a power failure or kernel crash can lose everything the OS had not
 *       yet written back on its own (seconds on Linux). For tests and throwaway data.</li>
 * </ul>
 *
 * <p>Under {@code always} and {@code groupCommit} the reactor only reads records that are already fsynced, so
 * no action is ever decided from an event that a power failure could take back.
 */
public final class FsyncPolicy {
  /** The default group-commit window. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMillis(2);
  /** The default group-commit batch bound, in records. */
  public static final int DEFAULT_MAX_BATCH = 8192;

  /** The kind of policy. */
  public enum Mode { ALWAYS, GROUP_COMMIT, NEVER }

  private static final FsyncPolicy ALWAYS = new FsyncPolicy(Mode.ALWAYS, Duration.ZERO, 1);

  private final Mode mode;
  private final Duration window;
  private final int maxBatch;

  private FsyncPolicy(Mode mode, Duration window, int maxBatch) {
    this.mode = mode;
    this.window = window;
    this.maxBatch = maxBatch;
  }

  /** Fsync before {@code track()} returns. */
  public static FsyncPolicy always() {
    return ALWAYS;
  }

  /** Fsync in the background at most {@code window} after a record was accepted, or after maxBatch records. */
  public static FsyncPolicy groupCommit(Duration window, int maxBatch) {
    requireNonNull(window, "window");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("group commit window must be > 0, but was " + window);
    }
    if (window.compareTo(Duration.ofSeconds(10)) > 0) {
      throw new IllegalArgumentException("group commit window must be <= 10s, but was " + window);
    }
    if (maxBatch < 1) {
      throw new IllegalArgumentException("group commit maxBatch must be >= 1, but was " + maxBatch);
    }
    return new FsyncPolicy(Mode.GROUP_COMMIT, window, maxBatch);
  }

  /** The default: {@code groupCommit(2 ms, 8192)}. */
  public static FsyncPolicy groupCommit() {
    return groupCommit(DEFAULT_WINDOW, DEFAULT_MAX_BATCH);
  }

  /** Write in the background every {@code window}, never fsync. */
  public static FsyncPolicy never(Duration window) {
    FsyncPolicy p = groupCommit(window, DEFAULT_MAX_BATCH);
    return new FsyncPolicy(Mode.NEVER, p.window, p.maxBatch);
  }

  /** {@code never(2 ms)}. */
  public static FsyncPolicy never() {
    return never(DEFAULT_WINDOW);
  }

  /**
   * Parses {@code always}, {@code never}, {@code group-commit} or {@code group-commit:5ms:1000}.
   *
   * @throws IllegalArgumentException naming the bad value
   */
  public static FsyncPolicy parse(String text) {
    requireNonNull(text, "text");
    String t = text.trim().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    if (t.equals("always")) {
      return always();
    }
    if (t.equals("never")) {
      return never();
    }
    if (t.startsWith("group-commit")) {
      String[] parts = t.split(":");
      if (parts.length == 1) {
        return groupCommit();
      }
      Duration w = dev.mkt.internal.Durations.parse(parts[1]);
      int max = parts.length > 2 ? Integer.parseInt(parts[2]) : DEFAULT_MAX_BATCH;
      return groupCommit(w, max);
    }
    throw new IllegalArgumentException(
        "fsync policy must be always, never or group-commit[:window[:maxBatch]], but was '" + text + "'");
  }

  public Mode mode() { return mode; }

  /** The group-commit or write-back window; zero for {@code always}. */
  public Duration window() { return window; }

  /** The records after which the writer does not wait for the window. */
  public int maxBatch() { return maxBatch; }

  @Override
  public boolean equals(Object o) {
    return o instanceof FsyncPolicy && ((FsyncPolicy) o).mode == mode && ((FsyncPolicy) o).window.equals(window)
        && ((FsyncPolicy) o).maxBatch == maxBatch;
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, window, maxBatch);
  }

  @Override
  public String toString() {
    return mode == Mode.ALWAYS ? "always" : mode.name().toLowerCase().replace('_', '-') + ":" + window.toMillis()
        + "ms:" + maxBatch;
  }
}
