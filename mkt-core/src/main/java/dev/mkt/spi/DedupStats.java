package dev.mkt.spi;

/**
 * Counters of a {@link DedupStore}.
 *
 * @param size keys currently held (approximate for some stores)
 * @param marked keys newly marked
 * @param duplicates marks refused because the key was present
 * @param sizeEvictions keys dropped before their TTL because the store was full; each is a duplicate that
 *     could now get through
 * @param expirations keys dropped at the end of their TTL
 */
public record DedupStats(long size, long marked, long duplicates, long sizeEvictions, long expirations) {}
