/**
 * The embedded outbox: entries in memory, every change appended to a CRC-framed journal, replayed on open and
 * compacted as it grows.
 */
package dev.mkt.internal.outbox;
