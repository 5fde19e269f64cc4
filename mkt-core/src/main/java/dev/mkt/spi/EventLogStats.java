package dev.mkt.spi;

/**
 * Counters of an {@link EventLog}.
 *
 * @param appended records appended
 * @param bytesWritten bytes written to files
 * @param fsyncs fsync calls
 * @param segments segment files
 * @param sizeBytes total size of the segment files
 * @param corruptionsSeen corrupted stretches met by reads and recovery
 */
public record EventLogStats(long appended, long bytesWritten, long fsyncs, int segments, long sizeBytes,
    long corruptionsSeen) {}
