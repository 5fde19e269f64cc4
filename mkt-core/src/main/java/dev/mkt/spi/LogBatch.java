package dev.mkt.spi;

import java.util.List;

/**
 * The result of {@link EventLog#read}.
 *
 * @param records intact records, in offset order
 * @param corruptions corrupted stretches met on the way; their offsets are skipped
 * @param nextOffset where the next read continues
 */
public record LogBatch(List<LogRecord> records, List<LogCorruption> corruptions, long nextOffset) {
  public boolean isEmpty() {
    return records.isEmpty() && corruptions.isEmpty();
  }
}
