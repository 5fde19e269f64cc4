package dev.mkt.spi;

import dev.mkt.Action;
import dev.mkt.Contact;
import java.time.Instant;

/**
 * A compliance check the dispatcher runs at send time, after its own (global opt-out, per-channel
 * unsubscribe) and before every other gate. The full consent model (purposes, {@code consentRequired}, GDPR
 * lawful basis, double opt-in) plugs in here; host applications can add their own checks (a suppression list,
 * a legal hold).
 *
 * <p>Gates run in the order they were added; the first verdict that is not {@link ConsentVerdict#allow()}
 * wins. A gate that throws is treated as "defer for a minute" (never as "allow"), and logged at WARN.
 */
@FunctionalInterface
public interface ConsentGate {

  /**
   * Decides whether the action may go to the contact now.
   *
   * @param contact the contact as resolved at send time, with opt-outs made through the API already applied
   */
  ConsentVerdict check(Action action, Contact contact, Instant now);
}
