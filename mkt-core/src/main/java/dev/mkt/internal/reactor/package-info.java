/** The reactor: the consumer loop from the event log through state and rules to the outbox; event dead letters. */
package dev.mkt.internal.reactor;
