package dev.mkt.channels;

import java.util.regex.Pattern;

/**
 * Removes email addresses from text that ends up in logs and outbox reasons (SMTP replies often quote the
 * recipient: {@code 550 5.1.1 <ada@example.com>: Recipient address rejected}).
 */
public final class Redaction {
  private static final Pattern EMAIL = Pattern.compile("[^\\s<>\"'(),;:]+@[^\\s<>\"'(),;:]+");

  private Redaction() {}

  /** {@code text} with every address replaced by {@code <redacted>}; {@code null} stays {@code null}. */
  public static String emails(String text) {
    return text == null ? null : EMAIL.matcher(text).replaceAll("<redacted>");
  }
}
