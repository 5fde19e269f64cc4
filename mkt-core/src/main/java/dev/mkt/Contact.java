package dev.mkt;

import static java.util.Objects.requireNonNull;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What mkt knows about a user: traits (email, name, timezone, locale, plan, custom ones) and consent state.
 * Immutable snapshot; {@link Marketing#identify} and traits carried by events produce new snapshots.
 *
 * <p>Rules see it as the {@code Contact} fact. Dispatch reads it again when it sends, so a changed address
 * or an opt-out made after a decision is honoured.
 */
public final class Contact {
  /** Trait: the email address. */
  public static final String EMAIL = "email";
  /** Trait: whether the address was verified (boolean). */
  public static final String EMAIL_VERIFIED = "email_verified";
  /** Trait: display name. */
  public static final String NAME = "name";
  /** Trait: IANA time-zone id, e.g. {@code Europe/Berlin}. */
  public static final String TIMEZONE = "timezone";
  /** Trait: BCP 47 language tag, e.g. {@code de-DE}. */
  public static final String LOCALE = "locale";
  /** Trait: plan name. */
  public static final String PLAN = "plan";
  /** Trait: the latest churn score (0..1). */
  public static final String CHURN_SCORE = "churn_score";

  private final String userId;
  private final Map<String, Object> traits;
  private final ConsentRecord optOut;
  private final Map<String, ConsentRecord> unsubscribed;
  private final Map<String, ConsentRecord> consents;

  /** A contact; maps are copied. Use {@link #empty(String)} for a user mkt knows nothing about. */
  public Contact(String userId, Map<String, Object> traits, ConsentRecord optOut,
      Map<String, ConsentRecord> unsubscribed, Map<String, ConsentRecord> consents) {
    this.userId = requireNonNull(userId, "userId");
    this.traits = traits == null ? Map.of() : dev.mkt.internal.CompactMap.copyOf(traits);
    this.optOut = optOut;
    this.unsubscribed = unsubscribed == null || unsubscribed.isEmpty() ? Map.of() : Map.copyOf(unsubscribed);
    this.consents = consents == null || consents.isEmpty() ? Map.of() : Map.copyOf(consents);
  }

  public static Contact empty(String userId) {
    return new Contact(userId, Map.of(), null, Map.of(), Map.of());
  }

  public String userId() { return userId; }

  /** All traits, unmodifiable. */
  public Map<String, Object> traits() { return traits; }

  /** One trait, or {@code null}. */
  public Object trait(String name) {
    return traits.get(name);
  }

  public Optional<String> email() {
    return Optional.ofNullable(traits.get(EMAIL)).map(Object::toString);
  }

  public boolean emailVerified() {
    return Boolean.TRUE.equals(traits.get(EMAIL_VERIFIED));
  }

  public Optional<String> name() {
    return Optional.ofNullable(traits.get(NAME)).map(Object::toString);
  }

  /** The contact's time zone, UTC if unknown or invalid. */
  public ZoneId timezone() {
    Object tz = traits.get(TIMEZONE);
    if (tz != null) {
      try {
        return ZoneId.of(tz.toString());
      } catch (DateTimeException e) {
        return ZoneOffset.UTC;
      }
    }
    return ZoneOffset.UTC;
  }

  /** The contact's locale, {@link Locale#ROOT} if unknown. */
  public Locale locale() {
    Object l = traits.get(LOCALE);
    return l == null ? Locale.ROOT : Locale.forLanguageTag(l.toString());
  }

  public Optional<String> plan() {
    return Optional.ofNullable(traits.get(PLAN)).map(Object::toString);
  }

  /** The latest churn score, or {@code null}. */
  public Double churnScore() {
    Object s = traits.get(CHURN_SCORE);
    return s instanceof Number ? ((Number) s).doubleValue() : null;
  }

  /** Whether the user opted out of all marketing. */
  public boolean optedOut() {
    return optOut != null;
  }

  /** When and how the user opted out, if they did. */
  public Optional<ConsentRecord> optOut() {
    return Optional.ofNullable(optOut);
  }

  /** Whether the user unsubscribed from a channel ({@code email}, {@code in_app}, ...). */
  public boolean unsubscribed(String channel) {
    return unsubscribed.containsKey(channel);
  }

  /** Channel → when and how the user unsubscribed from it. */
  public Map<String, ConsentRecord> unsubscribes() { return unsubscribed; }

  /** Purpose or channel → when and how consent was granted. */
  public Map<String, ConsentRecord> consents() { return consents; }

  /** Whether consent was granted for a purpose or channel. */
  public boolean hasConsent(String purpose) {
    return consents.containsKey(purpose);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Contact)) {
      return false;
    }
    Contact c = (Contact) o;
    return userId.equals(c.userId) && traits.equals(c.traits) && java.util.Objects.equals(optOut, c.optOut)
        && unsubscribed.equals(c.unsubscribed) && consents.equals(c.consents);
  }

  @Override
  public int hashCode() {
    return userId.hashCode();
  }

  @Override
  public String toString() {
    // Traits may be PII: print names only.
    return "Contact{userId=" + userId + ", traits=" + traits.keySet() + ", optedOut=" + optedOut()
        + ", unsubscribed=" + unsubscribed.keySet() + '}';
  }
}
