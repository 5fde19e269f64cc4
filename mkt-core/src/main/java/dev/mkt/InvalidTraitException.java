package dev.mkt;

/**
 * A trait given to {@link Marketing#identify} cannot be stored: an invalid email, a time zone that is not an
 * IANA id, an oversized value. The contact is left unchanged.
 */
public class InvalidTraitException extends MarketingException {
  private static final long serialVersionUID = 1L;

  /** What was wrong. */
  public enum Reason {
    /** The trait name is empty, too long or has characters outside {@code [A-Za-z0-9_.-]}. */
    INVALID_NAME,
    /** {@code email} is not a plausible address (RFC 5321 length limits, one {@code @}, a dotted domain). */
    INVALID_EMAIL,
    /** {@code timezone} is not an IANA region id such as {@code Europe/Berlin}. */
    INVALID_TIMEZONE,
    /** {@code locale} is not a well-formed BCP 47 tag such as {@code de-DE}. */
    INVALID_LOCALE,
    /** A value is larger than allowed (strings: 1024 characters; nested values: 4 KiB of JSON). */
    TRAIT_TOO_LARGE,
    /** The contact would have more than 100 traits. */
    TOO_MANY_TRAITS,
    /** The value is not a JSON value, or a well-known trait has the wrong type. */
    UNSUPPORTED_VALUE
  }

  private final Reason reason;
  private final String trait;

  public InvalidTraitException(Reason reason, String trait, String message) {
    super(reason + ": trait '" + trait + "' " + message);
    this.reason = reason;
    this.trait = trait;
  }

  public Reason reason() {
    return reason;
  }

  public String trait() {
    return trait;
  }
}
