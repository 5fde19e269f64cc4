package dev.mkt;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies webhooks the Standard Webhooks way (symmetric scheme {@code v1}): the signed content is
 * {@code <webhook-id>.<webhook-timestamp>.<raw body>}, the signature is the base64 HMAC-SHA256 of it under the
 * secret (serialized as {@code whsec_<base64>}), and the {@code webhook-signature} header carries one or more
 * space-delimited {@code v1,<signature>} entries. A request is authentic if any entry matches any configured
 * secret (several secrets while rotating), compared in constant time, and its timestamp is within the tolerance
 * (5 minutes by default) of now, either way.
 *
 * <p>Why not the reference library ({@code com.standardwebhooks:standardwebhooks})? It verifies against one
 * secret, reads the wall clock directly and takes the body as a {@code String}; ingest needs several secrets,
 * a controllable clock and the raw bytes. The scheme itself is ten lines over the JDK's {@link Mac}.
 *
 * <pre>{@code
 * StandardWebhooks webhooks = StandardWebhooks.of(List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
 *     Duration.ofMinutes(5), Clock.systemUTC());
 * String header = webhooks.sign("msg_1", clock.instant().getEpochSecond(), body);   // "v1,..."
 * webhooks.verify("msg_1", timestamp, header, body);   // throws WebhookSignatureException if not authentic
 * }</pre>
 */
public final class StandardWebhooks {
  /** The header carrying the unique message id. */
  public static final String ID_HEADER = "webhook-id";
  /** The header carrying the attempt's Unix time in seconds. */
  public static final String TIMESTAMP_HEADER = "webhook-timestamp";
  /** The header carrying the signatures. */
  public static final String SIGNATURE_HEADER = "webhook-signature";
  /** The default timestamp tolerance of the specification. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);
  /** The prefix of serialized symmetric secrets. */
  public static final String SECRET_PREFIX = "whsec_";

  private static final String HMAC = "HmacSHA256";

  private final List<SecretKeySpec> keys;
  private final Duration tolerance;
  private final Clock clock;

  private StandardWebhooks(List<SecretKeySpec> keys, Duration tolerance, Clock clock) {
    this.keys = keys;
    this.tolerance = tolerance;
    this.clock = clock;
  }

  /**
   * Verifier and signer for the given secrets. The first secret signs.
   *
   * @param secrets {@code whsec_<base64>} (or bare base64) secrets of 24 to 64 bytes
   * @throws IllegalArgumentException naming the position of a malformed secret (never its value)
   */
  public static StandardWebhooks of(List<String> secrets, Duration tolerance, Clock clock) {
    requireNonNull(secrets, "secrets");
    requireNonNull(tolerance, "tolerance");
    requireNonNull(clock, "clock");
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("at least one webhook signing secret is needed, but none was given");
    }
    if (tolerance.isNegative() || tolerance.isZero()) {
      throw new IllegalArgumentException("tolerance must be > 0, but was " + tolerance);
    }
    List<SecretKeySpec> keys = new ArrayList<>();
    for (int i = 0; i < secrets.size(); i++) {
      keys.add(new SecretKeySpec(decodeSecret(i, secrets.get(i)), HMAC));
    }
    return new StandardWebhooks(List.copyOf(keys), tolerance, clock);
  }

  /** A fresh random secret, serialized as {@code whsec_<base64 of 32 bytes>}. */
  public static String newSecret() {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
  }

  private static byte[] decodeSecret(int index, String secret) {
    String where = "webhook signing secret [" + index + "]";
    if (secret == null || secret.isBlank()) {
      throw new IllegalArgumentException(where + " must be whsec_<base64>, but was blank");
    }
    String b64 = secret.trim();
    if (b64.startsWith(SECRET_PREFIX)) {
      b64 = b64.substring(SECRET_PREFIX.length());
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + " must be whsec_<base64>, but its " + b64.length()
          + " characters after the prefix are not base64");
    }
    if (key.length < 24 || key.length > 64) {
      throw new IllegalArgumentException(where + " must decode to 24..64 bytes, but decoded to " + key.length);
    }
    return key;
  }

  /** The timestamp tolerance. */
  public Duration tolerance() {
    return tolerance;
  }

  /**
   * The {@code webhook-signature} value ({@code v1,<base64>}) of a message, under the first secret.
   *
   * @param timestampSeconds Unix time in seconds
   */
  public String sign(String id, long timestampSeconds, byte[] body) {
    return "v1," + Base64.getEncoder().encodeToString(mac(keys.get(0), id, Long.toString(timestampSeconds), body));
  }

  /**
   * Verifies a request.
   *
   * @param id the {@code webhook-id} header
   * @param timestamp the {@code webhook-timestamp} header
   * @param signatures the {@code webhook-signature} header
   * @param body the raw request body, exactly as received
   * @throws WebhookSignatureException if a header is missing or malformed, the timestamp is outside the
   *     tolerance, or no signature matches
   */
  public void verify(String id, String timestamp, String signatures, byte[] body) {
    if (id == null || id.isEmpty() || timestamp == null || timestamp.isEmpty() || signatures == null
        || signatures.isBlank()) {
      throw new WebhookSignatureException(WebhookSignatureException.Reason.MISSING_HEADERS,
          "webhook-id, webhook-timestamp and webhook-signature headers are required");
    }
    if (id.indexOf('.') >= 0 || id.length() > 256) {
      throw new WebhookSignatureException(WebhookSignatureException.Reason.MALFORMED_HEADERS,
          "webhook-id must be at most 256 characters without '.'");
    }
    long ts;
    try {
      ts = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      throw new WebhookSignatureException(WebhookSignatureException.Reason.MALFORMED_HEADERS,
          "webhook-timestamp must be Unix seconds, but was '" + abbreviate(timestamp) + "'");
    }
    long now = clock.instant().getEpochSecond();
    long skew = Math.abs(now - ts);
    if (skew > tolerance.getSeconds()) {
      throw new WebhookSignatureException(WebhookSignatureException.Reason.TIMESTAMP_OUT_OF_TOLERANCE,
          "webhook-timestamp " + ts + " is " + skew + " s " + (ts < now ? "old" : "in the future")
              + ", more than the tolerance of " + tolerance.getSeconds() + " s");
    }
    String signedTimestamp = timestamp.trim(); // the header as sent is what was signed
    List<byte[]> expected = new ArrayList<>(keys.size());
    for (SecretKeySpec key : keys) {
      expected.add(mac(key, id, signedTimestamp, body));
    }
    for (String entry : signatures.trim().split(" +")) {
      int comma = entry.indexOf(',');
      if (comma < 0 || !entry.substring(0, comma).equals("v1")) {
        continue; // other schemes (v1a) and malformed entries are skipped, as the specification asks
      }
      byte[] given;
      try {
        given = Base64.getDecoder().decode(entry.substring(comma + 1));
      } catch (IllegalArgumentException e) {
        continue;
      }
      for (byte[] candidate : expected) {
        if (MessageDigest.isEqual(candidate, given)) {
          return;
        }
      }
    }
    throw new WebhookSignatureException(WebhookSignatureException.Reason.NO_MATCHING_SIGNATURE,
        "no v1 signature in webhook-signature matches the body under any configured secret");
  }

  private static byte[] mac(SecretKeySpec key, String id, String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(key);
      mac.update(id.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) '.');
      mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) '.');
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 32 ? s : s.substring(0, 32) + "...";
  }
}
