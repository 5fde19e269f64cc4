package dev.mkt.internal.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Channel and provider names: {@code email}, {@code social.linkedin}; ids {@code email.smtp}. */
final class ChannelNames {
  private static final Pattern NAME = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_]+)*");

  private ChannelNames() {}

  static boolean valid(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** Whether {@code pattern} names {@code channel} or a family it belongs to ({@code social} ⊇ {@code social.x}). */
  static boolean matches(String pattern, String channel) {
    return channel.equals(pattern) || channel.startsWith(pattern + ".");
  }

  /** {@code social.linkedin} → [{@code social.linkedin}, {@code social}]. */
  static List<String> selfAndFamilies(String channel) {
    List<String> out = new ArrayList<>();
    String c = channel;
    out.add(c);
    int dot;
    while ((dot = c.lastIndexOf('.')) > 0) {
      c = c.substring(0, dot);
      out.add(c);
    }
    return out;
  }
}
