package dev.mkt.internal.state;

import dev.mkt.ConsentRecord;
import dev.mkt.Contact;
import dev.mkt.MarketingEvent;
import java.util.HashMap;
import java.util.Map;

/**
 * Log records mkt writes for contact changes, so that the log stays the single source of truth and a replay
 * reproduces contacts exactly. Their types start with {@code $}, which applications cannot use.
 */
public final class SystemEvents {
  /** Payload {@code {"traits": {...}}}; {@code null} values remove traits. */
  public static final String IDENTIFY = "$identify";
  /** Payload {@code {"source": "..."}}. */
  public static final String OPT_OUT = "$opt_out";
  /** Undoes an opt-out. Payload {@code {"source": "..."}}. */
  public static final String OPT_IN = "$opt_in";
  /** Payload {@code {"channel": "email", "source": "..."}}. */
  public static final String UNSUBSCRIBE = "$unsubscribe";
  /** Payload {@code {"channel": "email", "source": "..."}}. */
  public static final String RESUBSCRIBE = "$resubscribe";
  /** Payload {@code {"purpose": "marketing", "granted": true, "source": "..."}}. */
  public static final String CONSENT = "$consent";

  private SystemEvents() {}

  public static boolean isSystem(String type) {
    return type != null && type.startsWith("$");
  }

  /** Applies a system event to a contact. Unknown system types leave it unchanged. */
  @SuppressWarnings("unchecked")
  static Contact apply(Contact c, MarketingEvent e) {
    String source = e.payload().get("source") instanceof String ? (String) e.payload().get("source") : "api";
    ConsentRecord rec = new ConsentRecord(e.timestamp(), source);
    Map<String, ConsentRecord> unsub = new HashMap<>(c.unsubscribes());
    Map<String, ConsentRecord> consents = new HashMap<>(c.consents());
    switch (e.type()) {
      case IDENTIFY: {
        Object traits = e.payload().get("traits");
        return traits instanceof Map ? Traits.merge(c, (Map<String, ?>) traits) : c;
      }
      case OPT_OUT:
        return c.optedOut() ? c : new Contact(c.userId(), c.traits(), rec, unsub, consents);
      case OPT_IN:
        return new Contact(c.userId(), c.traits(), null, unsub, consents);
      case UNSUBSCRIBE:
        unsub.putIfAbsent(String.valueOf(e.payload().get("channel")), rec);
        return new Contact(c.userId(), c.traits(), c.optOut().orElse(null), unsub, consents);
      case RESUBSCRIBE:
        unsub.remove(String.valueOf(e.payload().get("channel")));
        return new Contact(c.userId(), c.traits(), c.optOut().orElse(null), unsub, consents);
      case CONSENT: {
        String purpose = String.valueOf(e.payload().get("purpose"));
        if (Boolean.TRUE.equals(e.payload().get("granted"))) {
          consents.put(purpose, rec);
        } else {
          consents.remove(purpose);
        }
        return new Contact(c.userId(), c.traits(), c.optOut().orElse(null), unsub, consents);
      }
      default:
        return c;
    }
  }
}
