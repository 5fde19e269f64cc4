package dev.mkt.channels.inapp;

import java.time.Instant;
import java.util.Map;

/**
 * A message in a user's in-app inbox, rendered from an {@code in_app/<template>} template. The app shows it
 * (escaping {@link #title()} and {@link #body()} as text) and marks it read.
 *
 * @param id the action's idempotency key: stable, unique
 * @param template e.g. {@code review_request}
 * @param vars the action's variables, for apps that build their own UI from them
 * @param readAt when the app marked it read; {@code null} while unread
 */
public record InAppMessage(String id, String userId, String template, String title, String body,
    Map<String, Object> vars, Instant createdAt, Instant readAt) {

  public boolean unread() {
    return readAt == null;
  }
}
