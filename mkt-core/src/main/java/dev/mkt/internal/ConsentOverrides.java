package dev.mkt.internal;

import dev.mkt.ConsentRecord;
import dev.mkt.Contact;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opt-outs and unsubscribes made through the API that the reactor has not applied yet. The change itself goes
 * through the log (so replays reproduce it); this overlay makes dispatch honour it at once, closing the window
 * between the call and the reactor catching up. Entries stay until the engine restarts, by which time the
 * reactor has applied the log records (they are monotonic: an overlay never grants anything).
 */
final class ConsentOverrides {
  private final Set<String> optedOut = ConcurrentHashMap.newKeySet();
  private final Map<String, Set<String>> unsubscribed = new ConcurrentHashMap<>();

  void optOut(String userId) {
    optedOut.add(userId);
  }

  void unsubscribe(String userId, String channel) {
    unsubscribed.computeIfAbsent(userId, u -> ConcurrentHashMap.newKeySet()).add(channel);
  }

  /** The contact with pending opt-outs/unsubscribes applied. */
  Contact overlay(Contact c, Instant now) {
    boolean out = optedOut.contains(c.userId()) && !c.optedOut();
    Set<String> unsub = unsubscribed.get(c.userId());
    if (!out && (unsub == null || c.unsubscribes().keySet().containsAll(unsub))) {
      return c;
    }
    ConsentRecord pending = new ConsentRecord(now, "pending");
    Map<String, ConsentRecord> u = new HashMap<>(c.unsubscribes());
    if (unsub != null) {
      for (String ch : unsub) {
        u.putIfAbsent(ch, pending);
      }
    }
    return new Contact(c.userId(), c.traits(), out ? pending : c.optOut().orElse(null), u, c.consents());
  }
}
