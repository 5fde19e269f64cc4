package dev.mkt.spi;

import dev.mkt.Contact;

/**
 * Per-user state: contacts (traits and consent), windowed activity and fire-once markers.
 *
 * <p>The reactor is its only writer of activity; dispatch reads contacts at send time, from other threads.
 */
public interface StateStore extends AutoCloseable {

  /** The user's contact, or {@link Contact#empty} if mkt knows nothing about them. Thread-safe. */
  Contact contact(String userId);

  @Override
  default void close() {}
}
