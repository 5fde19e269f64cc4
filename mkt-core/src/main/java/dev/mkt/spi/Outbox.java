package dev.mkt.spi;

import dev.mkt.Action;
import java.util.Collection;

/**
 * Decided actions waiting for delivery. The idempotency key is unique: at most one action per key, ever
 * (within the outbox's retention).
 */
public interface Outbox extends AutoCloseable {

  /**
   * Adds the actions whose idempotency keys are new.
   *
   * @return how many were new
   */
  int putAll(Collection<Action> actions);

  /** Makes every {@link #putAll} so far durable. */
  void flush();

  @Override
  default void close() {}
}
