package dev.mkt.spi;

import java.util.List;

/**
 * What an {@link EventLog} found when it opened.
 *
 * @param segments segment files found
 * @param recordsInTail records found intact in the scanned (last) segment
 * @param truncatedBytes bytes dropped from a torn tail (a write cut short by a crash); those records were
 *     never durable
 * @param corruptions corrupted stretches in the middle of the scanned segment; reported, not dropped
 * @param nextOffset the offset the next append gets
 */
public record LogRecovery(int segments, long recordsInTail, long truncatedBytes, List<LogCorruption> corruptions,
    long nextOffset) {

  public static LogRecovery clean(int segments, long records, long nextOffset) {
    return new LogRecovery(segments, records, 0, List.of(), nextOffset);
  }
}
