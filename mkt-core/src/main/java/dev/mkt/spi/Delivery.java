package dev.mkt.spi;

import static java.util.Objects.requireNonNull;

import dev.mkt.Action;
import dev.mkt.Contact;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * One delivery attempt of an action, handed to {@link Channel#deliver}: the action, the contact as resolved at
 * send time (a changed address is used, an opt-out was honoured before), and the attempt number.
 *
 * <p>{@link #toString()} prints no contact data: addresses are PII.
 */
public final class Delivery {
  private final Action action;
  private final Contact contact;
  private final int attempt;
  private final URI unsubscribeUrl;
  private final Instant now;

  /**
   * @param attempt 1 for the first attempt
   * @param unsubscribeUrl the signed one-click unsubscribe link for this user and channel, or {@code null} if
   *     the engine has none configured
   */
  public Delivery(Action action, Contact contact, int attempt, URI unsubscribeUrl, Instant now) {
    this.action = requireNonNull(action, "action");
    this.contact = requireNonNull(contact, "contact");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1, but was " + attempt);
    }
    this.attempt = attempt;
    this.unsubscribeUrl = unsubscribeUrl;
    this.now = requireNonNull(now, "now");
  }

  public Action action() { return action; }

  /** The contact at send time. */
  public Contact contact() { return contact; }

  /** The action's idempotency key; pass it to providers that take one. Stable across retries and failover. */
  public String idempotencyKey() { return action.idempotencyKey(); }

  /** 1 for the first attempt, 2 for the first retry, ... */
  public int attempt() { return attempt; }

  /**
   * The signed, expiring one-click unsubscribe link (RFC 8058) for this user and this action's channel. Email
   * channels put it in {@code List-Unsubscribe}; templates get it as {@code unsubscribe_url}.
   */
  public Optional<URI> unsubscribeUrl() { return Optional.ofNullable(unsubscribeUrl); }

  /** The engine clock's time when the attempt started. */
  public Instant now() { return now; }

  @Override
  public String toString() {
    return "Delivery{" + action.idempotencyKey() + " channel=" + action.channel() + " template="
        + action.template() + " attempt=" + attempt + '}';
  }
}
