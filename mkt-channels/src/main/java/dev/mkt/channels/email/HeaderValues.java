package dev.mkt.channels.email;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Header injection defence: no header value mkt writes may contain CR, LF or another control character
 * (RFC 5322 forbids them outside folding, and a CR/LF lets data start a new header, e.g. {@code Bcc:}). Values
 * from configuration are checked at start-up; values rendered per message (the subject) are checked before the
 * message is built, and a bad one fails the action with {@code header_injection}.
 */
final class HeaderValues {
  private static final Pattern NAME = Pattern.compile("[!-9;-~]+"); // printable ASCII except ':' (RFC 5322 ftext)
  /** Headers mkt sets itself; custom headers may not replace them. */
  static final Set<String> RESERVED = Set.of("from", "to", "cc", "bcc", "reply-to", "subject", "message-id",
      "date", "sender", "return-path", "mime-version", "content-type", "content-transfer-encoding",
      "list-unsubscribe", "list-unsubscribe-post");

  private HeaderValues() {}

  /** Whether the value is free of CR, LF and other control characters (TAB is allowed). */
  static boolean safe(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7F || c == '\u2028' || c == '\u2029' || c == '\u0085') {
        return false;
      }
    }
    return true;
  }

  static boolean validName(String name) {
    return NAME.matcher(name).matches();
  }

  static boolean reserved(String name) {
    return RESERVED.contains(name.toLowerCase(Locale.ROOT));
  }
}
