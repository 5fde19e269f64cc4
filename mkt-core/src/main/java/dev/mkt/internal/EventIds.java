package dev.mkt.internal;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Time-ordered event ids: UUID version 7 (RFC 9562), 48 bits of Unix milliseconds then 74 random bits, in
 * the canonical 36-character form. Ids generated later sort after earlier ones (to the millisecond).
 */
public final class EventIds {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private EventIds() {}

  public static String next() {
    return next(System.currentTimeMillis());
  }

  static String next(long millis) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long msb = (millis << 16) | 0x7000L | (r.nextLong() & 0x0FFFL);
    long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    char[] c = new char[36];
    hex(c, 0, msb >>> 32, 8);
    c[8] = '-';
    hex(c, 9, msb >>> 16, 4);
    c[13] = '-';
    hex(c, 14, msb, 4);
    c[18] = '-';
    hex(c, 19, lsb >>> 48, 4);
    c[23] = '-';
    hex(c, 24, lsb, 12);
    return new String(c);
  }

  private static void hex(char[] c, int at, long v, int digits) {
    for (int i = digits - 1; i >= 0; i--) {
      c[at + i] = HEX[(int) (v & 0xF)];
      v >>>= 4;
    }
  }
}
