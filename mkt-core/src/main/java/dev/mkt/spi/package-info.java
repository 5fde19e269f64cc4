/**
 * Service provider interfaces: the seams where stores, rule engines and channels plug in.
 *
 * <p>Each SPI has an embedded default in mkt-core (a static factory on the interface, e.g.
 * {@link dev.mkt.spi.DedupStore#inMemory()}) and a contract test suite in mkt-core's test-jar that every
 * implementation must pass ({@code dev.mkt.spi.DedupStoreContract}, {@code dev.mkt.spi.EventLogContract}, ...).
 * Channels are discovered with {@link java.util.ServiceLoader}; see docs/spi.md.
 */
package dev.mkt.spi;
