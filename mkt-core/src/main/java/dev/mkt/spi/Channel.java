package dev.mkt.spi;

import dev.mkt.Contact;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Delivers actions of one channel through one provider: an SMTP server, an HTTP API, an in-app inbox, a
 * webhook. Created by a {@link ChannelProvider}; closed when the engine closes. Must be thread-safe: the
 * dispatcher calls {@link #deliver} from several threads at once (bounded by its concurrency).
 *
 * <p>The dispatcher runs every gate (consent, caps, quiet hours, review, rate limits, circuit breaker) before
 * calling {@link #deliver}, and records the result in the outbox. A channel only talks to its provider.
 */
@FunctionalInterface
public interface Channel extends AutoCloseable {

  /**
   * Delivers one action. Must not throw for provider trouble: answer {@link DeliveryResult#retryLater} (the
   * dispatcher backs off, counts it against the provider's circuit breaker, and dead-letters after
   * {@code maxRetries}) or {@link DeliveryResult#failed} (a permanent problem with this action: dead letter at
   * once). An exception thrown anyway is treated as {@code retryLater} with the exception as the reason.
   *
   * <p>Use {@link Delivery#idempotencyKey()} as the provider's idempotency key where it has one, so a retry
   * after a lost response does not deliver twice.
   */
  DeliveryResult deliver(Delivery delivery);

  /**
   * Why this contact cannot be reached on this channel, e.g. {@code no_address} when an email channel meets a
   * contact without an email; empty if they can. The dispatcher suppresses the action with this reason.
   */
  default Optional<String> unreachable(Contact contact) {
    return Optional.empty();
  }

  /**
   * Checks at start-up that the channel can render these templates (names without the channel prefix, e.g.
   * {@code welcome_v1}), as far as it can know.
   *
   * @return one message per problem, naming the template and where it was looked for; empty if all is well
   */
  default List<String> checkTemplates(Set<String> templates) {
    return List.of();
  }

  /**
   * The object behind the channel, for host applications that read from it (an in-app inbox), as JDBC's
   * {@code unwrap}.
   */
  default <T> Optional<T> unwrap(Class<T> type) {
    return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
  }

  @Override
  default void close() {}
}
