package dev.mkt;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies the one-click unsubscribe tokens in {@code List-Unsubscribe} links (RFC 8058): HMAC-SHA256
 * over the user, the channel and an expiry, so a link unsubscribes exactly one user from one channel, cannot
 * be forged or altered, and stops working after {@link #ttl()}. Immutable and thread-safe.
 *
 * <p>The engine signs a token per delivery when {@code DispatchConfig.unsubscribeUrl} is set; the web endpoint
 * that receives the one-click POST (the Spring starter's, or the host's own) verifies it with the same
 * instance and calls {@link Marketing#unsubscribe}:
 *
 * <pre>{@code
 * UnsubscribeTokens tokens = UnsubscribeTokens.custom(secretFromVault).build();
 * // POST /mkt/unsubscribe?token=...  body "List-Unsubscribe=One-Click"
 * UnsubscribeToken t = tokens.verify(token);          // throws InvalidUnsubscribeTokenException
 * marketing.unsubscribe(t.userId(), t.channel(), "one-click-unsubscribe");
 * }</pre>
 *
 * <p>Rotation: sign with the new secret and keep the old one in {@link Builder#previousSecret} until the
 * longest-lived link signed with it has expired.
 *
 * <p>Token format: {@code base64url(payload) "." base64url(hmac)}, payload {@code v1\nuserId\nchannel\nexpiry}
 * (expiry in epoch seconds). It carries the user id, not the address.
 */
public final class UnsubscribeTokens {
  /** How long a token is valid by default: emails are opened weeks later. */
  public static final Duration DEFAULT_TTL = Duration.ofDays(90);
  /** The shortest secret accepted, in bytes (HMAC-SHA256's block size is 64; 32 is its output size). */
  public static final int MIN_SECRET_BYTES = 32;

  private static final String ALGORITHM = "HmacSHA256";
  private static final String VERSION = "v1";

  private final List<SecretKeySpec> keys;
  private final Duration ttl;
  private final Clock clock;

  private UnsubscribeTokens(Builder b) {
    List<SecretKeySpec> k = new ArrayList<>();
    k.add(new SecretKeySpec(b.secret, ALGORITHM));
    for (byte[] s : b.previous) {
      k.add(new SecretKeySpec(s, ALGORITHM));
    }
    this.keys = List.copyOf(k);
    this.ttl = b.ttl;
    this.clock = b.clock;
  }

  /**
   * Starts building with the signing secret.
   *
   * @throws IllegalArgumentException if it is shorter than {@value #MIN_SECRET_BYTES} bytes
   */
  public static Builder custom(byte[] secret) {
    return new Builder(checkSecret(secret, "secret"));
  }

  /** {@link #custom(byte[])} with a UTF-8 secret (a long random string from the app's configuration). */
  public static Builder custom(String secret) {
    requireNonNull(secret, "secret");
    return custom(secret.getBytes(StandardCharsets.UTF_8));
  }

  public Duration ttl() {
    return ttl;
  }

  /** A token unsubscribing {@code userId} from {@code channel}, valid for {@link #ttl()} from now. */
  public String sign(String userId, String channel) {
    requireNonNull(userId, "userId");
    requireNonNull(channel, "channel");
    if (userId.indexOf('\n') >= 0 || channel.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("userId and channel must not contain a line feed");
    }
    long expiry = clock.instant().plus(ttl).getEpochSecond();
    byte[] payload = (VERSION + "\n" + userId + "\n" + channel + "\n" + expiry).getBytes(StandardCharsets.UTF_8);
    Base64.Encoder enc = Base64.getUrlEncoder().withoutPadding();
    return enc.encodeToString(payload) + "." + enc.encodeToString(mac(keys.get(0), payload));
  }

  /**
   * The link {@code base?token=...} (or {@code &token=} if {@code base} has a query).
   */
  public URI link(URI base, String userId, String channel) {
    String b = base.toString();
    return URI.create(b + (base.getRawQuery() == null ? "?" : "&") + "token=" + sign(userId, channel));
  }

  /**
   * Verifies a token: its signature against the current and previous secrets (constant time), then its expiry.
   *
   * @throws InvalidUnsubscribeTokenException if it is malformed, forged or expired
   */
  public UnsubscribeToken verify(String token) {
    if (token == null || token.length() > 4096) {
      throw malformed();
    }
    int dot = token.indexOf('.');
    if (dot <= 0 || dot != token.lastIndexOf('.')) {
      throw malformed();
    }
    byte[] payload;
    byte[] sig;
    try {
      Base64.Decoder dec = Base64.getUrlDecoder();
      payload = dec.decode(token.substring(0, dot));
      sig = dec.decode(token.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      throw malformed();
    }
    boolean ok = false;
    for (SecretKeySpec k : keys) {
      ok |= MessageDigest.isEqual(mac(k, payload), sig);
    }
    if (!ok) {
      throw new InvalidUnsubscribeTokenException(InvalidUnsubscribeTokenException.Reason.BAD_SIGNATURE,
          "unsubscribe token signature does not match any configured secret");
    }
    String[] parts = new String(payload, StandardCharsets.UTF_8).split("\n", -1);
    if (parts.length != 4 || !parts[0].equals(VERSION)) {
      throw malformed();
    }
    Instant expires;
    try {
      expires = Instant.ofEpochSecond(Long.parseLong(parts[3]));
    } catch (RuntimeException e) {
      throw malformed();
    }
    if (!clock.instant().isBefore(expires)) {
      throw new InvalidUnsubscribeTokenException(InvalidUnsubscribeTokenException.Reason.EXPIRED,
          "unsubscribe token expired at " + expires);
    }
    return new UnsubscribeToken(parts[1], parts[2], expires);
  }

  private static InvalidUnsubscribeTokenException malformed() {
    return new InvalidUnsubscribeTokenException(InvalidUnsubscribeTokenException.Reason.MALFORMED,
        "unsubscribe token is malformed");
  }

  private static byte[] mac(SecretKeySpec key, byte[] payload) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(payload);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static byte[] checkSecret(byte[] secret, String name) {
    requireNonNull(secret, name);
    if (secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(name + " must be at least " + MIN_SECRET_BYTES + " bytes, but was "
          + secret.length);
    }
    return secret.clone();
  }

  /** Builds {@link UnsubscribeTokens}. */
  public static final class Builder {
    private final byte[] secret;
    private final List<byte[]> previous = new ArrayList<>();
    private Duration ttl = DEFAULT_TTL;
    private Clock clock = Clock.systemUTC();

    private Builder(byte[] secret) {
      this.secret = secret;
    }

    /** A retired secret whose tokens are still accepted. */
    public Builder previousSecret(byte[] secret) {
      previous.add(checkSecret(secret, "previousSecret"));
      return this;
    }

    public Builder previousSecret(String secret) {
      requireNonNull(secret, "previousSecret");
      return previousSecret(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** How long a token is valid. Default 90 days. */
    public Builder ttl(Duration ttl) {
      requireNonNull(ttl, "ttl");
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("unsubscribe token ttl must be > 0, but was " + ttl);
      }
      this.ttl = ttl;
      return this;
    }

    /** The clock for expiry (use the engine's). Default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    public UnsubscribeTokens build() {
      return new UnsubscribeTokens(this);
    }
  }
}
