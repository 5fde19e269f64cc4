package dev.mkt.spi;

import static java.util.Objects.requireNonNull;

/**
 * One record read from an {@link EventLog}.
 *
 * @param offset its offset
 * @param appendTimeMillis when it was appended (engine clock)
 * @param key its dedup key
 * @param data its bytes; do not modify
 */
public record LogRecord(long offset, long appendTimeMillis, String key, byte[] data) {
  public LogRecord {
    requireNonNull(key, "key");
    requireNonNull(data, "data");
  }
}
