package dev.mkt.internal.state;

import dev.mkt.Contact;
import dev.mkt.EventTypes;
import dev.mkt.InvalidTraitException;
import dev.mkt.InvalidTraitException.Reason;
import dev.mkt.MarketingEvent;
import java.time.ZoneId;
import java.util.IllformedLocaleException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Trait validation and merging. Traits merge key by key; a {@code null} value removes the trait.
 *
 * <p>Which event payload fields update the contact (documented in docs/contacts.md):
 * <ul>
 *   <li>any event: {@code email}, {@code email_verified}, {@code name}, {@code timezone}, {@code locale};</li>
 *   <li>{@code signup} and {@code upgrade}: also {@code plan};</li>
 *   <li>{@code churn_signal}: {@code score} becomes the {@code churn_score} trait.</li>
 * </ul>
 * An invalid value in an event does not reject the event (it is already accepted); the trait is not updated.
 */
public final class Traits {
  static final int MAX_TRAITS = 100;
  static final int MAX_STRING = 1024;
  static final int MAX_NAME = 64;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1," + MAX_NAME + "}");
  private static final Pattern EMAIL = Pattern.compile(
      "[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\\-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9\\-]{0,61}[A-Za-z0-9])?"
          + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9\\-]{0,61}[A-Za-z0-9])?)+");
  private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();
  private static final Set<String> FROM_ANY_EVENT =
      Set.of(Contact.EMAIL, Contact.EMAIL_VERIFIED, Contact.NAME, Contact.TIMEZONE, Contact.LOCALE);

  private Traits() {}

  /**
   * Validates every trait of {@code traits}.
   *
   * @throws InvalidTraitException for the first bad one
   */
  public static void validate(Map<String, ?> traits) {
    if (traits.size() > MAX_TRAITS) {
      throw new InvalidTraitException(Reason.TOO_MANY_TRAITS, "*", "count must be at most " + MAX_TRAITS
          + ", but was " + traits.size());
    }
    for (Map.Entry<String, ?> e : traits.entrySet()) {
      validate(e.getKey(), e.getValue());
    }
  }

  /** Validates one trait; {@code null} (removal) is always valid. */
  public static void validate(String name, Object value) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidTraitException(Reason.INVALID_NAME, String.valueOf(name),
          "name must match [A-Za-z0-9_.-]{1," + MAX_NAME + "}");
    }
    if (value == null) {
      return;
    }
    switch (name) {
      case Contact.EMAIL:
        if (!(value instanceof String) || ((String) value).length() > 254 || !EMAIL.matcher((String) value).matches()) {
          throw new InvalidTraitException(Reason.INVALID_EMAIL, name, "must be an email address like "
              + "someone@example.com, but was " + describe(value));
        }
        return;
      case Contact.TIMEZONE:
        if (!(value instanceof String) || !ZONES.contains(value)) {
          throw new InvalidTraitException(Reason.INVALID_TIMEZONE, name, "must be an IANA time-zone id like "
              + "Europe/Berlin, but was " + describe(value));
        }
        return;
      case Contact.LOCALE:
        if (!(value instanceof String) || ((String) value).isBlank()) {
          throw new InvalidTraitException(Reason.INVALID_LOCALE, name, "must be a BCP 47 tag like de-DE, but was "
              + describe(value));
        }
        try {
          new Locale.Builder().setLanguageTag((String) value);
        } catch (IllformedLocaleException ex) {
          throw new InvalidTraitException(Reason.INVALID_LOCALE, name, "must be a BCP 47 tag like de-DE, but was "
              + describe(value));
        }
        return;
      case Contact.EMAIL_VERIFIED:
        if (!(value instanceof Boolean)) {
          throw new InvalidTraitException(Reason.UNSUPPORTED_VALUE, name, "must be a boolean, but was "
              + describe(value));
        }
        return;
      case Contact.CHURN_SCORE:
        if (!(value instanceof Number) || !Double.isFinite(((Number) value).doubleValue())) {
          throw new InvalidTraitException(Reason.UNSUPPORTED_VALUE, name, "must be a finite number, but was "
              + describe(value));
        }
        return;
      default:
        break;
    }
    if (value instanceof String) {
      if (((String) value).length() > MAX_STRING) {
        throw new InvalidTraitException(Reason.TRAIT_TOO_LARGE, name, "must be at most " + MAX_STRING
            + " characters, but was " + ((String) value).length());
      }
    } else if (value instanceof Number) {
      if ((value instanceof Double || value instanceof Float) && !Double.isFinite(((Number) value).doubleValue())) {
        throw new InvalidTraitException(Reason.UNSUPPORTED_VALUE, name, "must be a finite number, but was " + value);
      }
    } else if (value instanceof Map || value instanceof java.util.Collection) {
      int size;
      try {
        size = dev.mkt.internal.EventCodec.shared().mapper().writeValueAsBytes(value).length;
      } catch (Exception ex) {
        throw new InvalidTraitException(Reason.UNSUPPORTED_VALUE, name, "is not a JSON value: " + ex.getMessage());
      }
      if (size > 4096) {
        throw new InvalidTraitException(Reason.TRAIT_TOO_LARGE, name, "must be at most 4096 bytes of JSON, but was "
            + size);
      }
    } else if (!(value instanceof Boolean)) {
      throw new InvalidTraitException(Reason.UNSUPPORTED_VALUE, name, "must be a string, number, boolean, list or "
          + "map, but was " + value.getClass().getName());
    }
  }

  private static String describe(Object v) {
    if (v instanceof String) {
      // Never echo a would-be address in full: it is PII.
      String s = (String) v;
      return "a " + s.length() + "-character string";
    }
    return v.getClass().getSimpleName();
  }

  /** The contact with {@code traits} merged in ({@code null} removes). Does not validate. */
  public static Contact merge(Contact c, Map<String, ?> traits) {
    if (traits.isEmpty()) {
      return c;
    }
    LinkedHashMap<String, Object> t = new LinkedHashMap<>(c.traits());
    for (Map.Entry<String, ?> e : traits.entrySet()) {
      if (e.getValue() == null) {
        t.remove(e.getKey());
      } else {
        t.put(e.getKey(), e.getValue());
      }
    }
    if (t.size() > MAX_TRAITS) {
      throw new InvalidTraitException(Reason.TOO_MANY_TRAITS, "*", "count must be at most " + MAX_TRAITS
          + ", but would be " + t.size());
    }
    return new Contact(c.userId(), t, c.optOut().orElse(null), c.unsubscribes(), c.consents());
  }

  /** The traits an ordinary event carries, valid ones only. */
  static Map<String, Object> fromEvent(MarketingEvent e) {
    Map<String, Object> out = null;
    for (Map.Entry<String, Object> f : e.payload().entrySet()) {
      String name = f.getKey();
      String trait = null;
      if (FROM_ANY_EVENT.contains(name)) {
        trait = name;
      } else if (name.equals(Contact.PLAN) && (e.type().equals(EventTypes.SIGNUP) || e.type().equals(EventTypes.UPGRADE))) {
        trait = name;
      } else if (name.equals("score") && e.type().equals(EventTypes.CHURN_SIGNAL)) {
        trait = Contact.CHURN_SCORE;
      }
      if (trait == null || f.getValue() == null) {
        continue;
      }
      try {
        validate(trait, f.getValue());
      } catch (InvalidTraitException ex) {
        continue;
      }
      if (out == null) {
        out = new LinkedHashMap<>();
      }
      out.put(trait, f.getValue());
    }
    return out == null ? Map.of() : out;
  }
}
