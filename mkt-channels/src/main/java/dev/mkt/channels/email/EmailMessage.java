package dev.mkt.channels.email;

import jakarta.mail.internet.InternetAddress;
import java.util.Map;

/**
 * One composed email, ready for a provider: addresses, subject, both bodies, extra headers (List-Unsubscribe,
 * custom ones) and the stable Message-ID. Every header value in it has passed {@link HeaderValues#safe}.
 *
 * @param messageId {@code <hash@domain>}, derived from the action's idempotency key: the same action always has
 *     the same Message-ID, whichever provider sends it and however often it is retried
 */
record EmailMessage(InternetAddress from, InternetAddress replyTo, InternetAddress to, String subject,
    String html, String text, Map<String, String> headers, String messageId, String idempotencyKey,
    String rule, String template) {

  @Override
  public String toString() {
    return "EmailMessage{" + messageId + " template=" + template + '}'; // no addresses: PII
  }
}
