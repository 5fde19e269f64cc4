/** The embedded event log: CRC32C-framed segment files, group commit, recovery, retention. See docs/event-log.md. */
package dev.mkt.internal.log;
