package dev.mkt.channels.crm;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures as the Standard Webhooks specification defines them: {@code webhook-signature: v1,<base64>} where
 * the MAC is HMAC-SHA256 over {@code <webhook-id>.<webhook-timestamp>.<body>}, keyed with the secret (a
 * {@code whsec_<base64>} string, or raw bytes). The receiver recomputes it and compares in constant time.
 */
public final class StandardWebhooks {
  public static final String ID = "webhook-id";
  public static final String TIMESTAMP = "webhook-timestamp";
  public static final String SIGNATURE = "webhook-signature";

  private final byte[] key;

  private StandardWebhooks(byte[] key) {
    this.key = key;
  }

  /**
   * A signer for {@code secret}: {@code whsec_} followed by base64, or any other string of at least 24
   * characters (used as UTF-8 bytes).
   *
   * @throws IllegalArgumentException for a short or badly encoded secret
   */
  public static StandardWebhooks withSecret(String secret) {
    requireNonNull(secret, "secret");
    byte[] key;
    if (secret.startsWith("whsec_")) {
      try {
        key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("webhook secret must be whsec_ followed by base64");
      }
    } else {
      key = secret.getBytes(StandardCharsets.UTF_8);
    }
    if (key.length < 24) {
      throw new IllegalArgumentException("webhook secret must be at least 24 bytes, but was " + key.length);
    }
    return new StandardWebhooks(key);
  }

  /** The {@code webhook-signature} header value for a message. */
  public String sign(String msgId, long timestampSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((msgId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
      mac.update(body);
      return "v1," + Base64.getEncoder().encodeToString(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
