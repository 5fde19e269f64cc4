package dev.mkt.spi;

import dev.mkt.EventLogConfig;
import dev.mkt.internal.log.SegmentedEventLog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The durable, append-only log every accepted event goes to before anything reacts to it.
 *
 * <p>Records are opaque bytes (mkt writes the event's JSON) with a key (the dedup key) and an append time.
 * Offsets are dense and start at 0: the record after offset {@code n} is {@code n + 1}. Consumers are named
 * groups that read from an offset and durably commit the next offset they want.
 *
 * <p>Thread-safety: {@code append*} may be called from any thread; {@code read} and {@code commit} too.
 * Every implementation passes {@code EventLogContract}.
 */
public interface EventLog extends AutoCloseable {

  /**
   * Appends one record.
   *
   * @param key the record's dedup key, kept for rebuilding dedup state after a restart
   * @param appendTimeMillis wall-clock time of the append (engine clock)
   * @param record the bytes
   * @return the record's offset
   * @throws EventLogException if the log cannot take it (closed, I/O error, record too large); nothing is
   *     appended then
   */
  long append(String key, long appendTimeMillis, byte[] record);

  /**
   * Appends records in order, all or none.
   *
   * @return the offset of the first; the others follow densely
   */
  long appendAll(List<String> keys, long appendTimeMillis, List<byte[]> records);

  /**
   * Completes when the record at {@code offset}, and all before it, are durable under the log's policy.
   * Completes exceptionally if the log fails or closes first.
   */
  CompletableFuture<Void> whenDurable(long offset);

  /** The first offset still in the log (older ones were removed by retention). */
  long startOffset();

  /** The offset the next append gets. */
  long endOffset();

  /**
   * The offset up to which (exclusive) records can be read: durable ones under fsync policies
   * {@code always}/{@code group-commit}, written ones under {@code never}.
   */
  long readableOffset();

  /**
   * Reads up to {@code maxRecords} readable records starting at {@code fromOffset}. A corrupted stretch is
   * reported in {@link LogBatch#corruptions()} and skipped; it is never silently lost.
   *
   * @throws IllegalArgumentException if {@code fromOffset} is after {@link #endOffset()}
   */
  LogBatch read(long fromOffset, int maxRecords);

  /**
   * Waits until a record at {@code offset} is readable or the timeout passes.
   *
   * @return whether it is readable
   */
  boolean awaitReadable(long offset, Duration timeout) throws InterruptedException;

  /**
   * The first offset whose append time is at or after {@code appendTimeMillis}, or a smaller one (never a
   * larger one). Used to re-read the last dedup window on open. The default answers {@link #startOffset()}.
   */
  default long offsetForTime(long appendTimeMillis) {
    return startOffset();
  }

  /** The next offset group {@code group} wants, or {@link #startOffset()} if it never committed. */
  long committed(String group);

  /** Durably records that {@code group} has processed everything before {@code nextOffset}. */
  void commit(String group, long nextOffset);

  /** What recovery found when the log was opened. */
  LogRecovery recovery();

  /** Appends, bytes and fsyncs so far. */
  EventLogStats stats();

  @Override
  void close();

  /** The embedded default: segment files with CRC32C-framed records under {@code config.directory()}. */
  static EventLog embedded(EventLogConfig config) {
    return SegmentedEventLog.open(config);
  }
}
