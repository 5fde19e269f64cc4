package dev.mkt;

import java.util.Locale;

/** Priority of an action. {@code HIGH} actions bypass the per-user frequency cap but never consent. */
public enum Priority {
  LOW, NORMAL, HIGH;

  /** Case-insensitive parse; names the bad value. */
  public static Priority parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("priority must be low, normal or high, but was '" + s + "'");
    }
  }
}
