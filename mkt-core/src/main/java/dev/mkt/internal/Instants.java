package dev.mkt.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Fast ISO-8601 text for instants on the hot path: {@link #format} writes exactly what {@link Instant#toString()}
 * writes (for years 0–9999), and {@link #parse} reads {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} without the
 * {@code DateTimeFormatter} machinery, falling back to {@link Instant#parse} for any other form.
 */
public final class Instants {
  private Instants() {}

  /** The last day formatted on this thread, as {@code yyyy-MM-ddT}: events of one day share the date part. */
  private static final ThreadLocal<long[]> LAST_DAY = ThreadLocal.withInitial(() -> new long[] {Long.MIN_VALUE});
  private static final ThreadLocal<char[]> LAST_DAY_TEXT = ThreadLocal.withInitial(() -> new char[11]);

  public static String format(Instant t) {
    long sec = t.getEpochSecond();
    int nanos = t.getNano();
    long day = Math.floorDiv(sec, 86_400);
    int secOfDay = (int) Math.floorMod(sec, 86_400);
    long[] lastDay = LAST_DAY.get();
    char[] dayText = LAST_DAY_TEXT.get();
    if (lastDay[0] != day) {
      LocalDate d = LocalDate.ofEpochDay(day);
      int year = d.getYear();
      if (year < 0 || year > 9999) {
        return t.toString();
      }
      digits(dayText, 0, year, 4);
      dayText[4] = '-';
      digits(dayText, 5, d.getMonthValue(), 2);
      dayText[7] = '-';
      digits(dayText, 8, d.getDayOfMonth(), 2);
      dayText[10] = 'T';
      lastDay[0] = day;
    }
    char[] c = new char[30];
    System.arraycopy(dayText, 0, c, 0, 11);
    int n = 11;
    n = digits(c, n, secOfDay / 3600, 2);
    c[n++] = ':';
    n = digits(c, n, secOfDay / 60 % 60, 2);
    c[n++] = ':';
    n = digits(c, n, secOfDay % 60, 2);
    if (nanos > 0) {
      c[n++] = '.';
      if (nanos % 1_000_000 == 0) {
        n = digits(c, n, nanos / 1_000_000, 3);
      } else if (nanos % 1_000 == 0) {
        n = digits(c, n, nanos / 1_000, 6);
      } else {
        n = digits(c, n, nanos, 9);
      }
    }
    c[n++] = 'Z';
    return new String(c, 0, n);
  }

  private static int digits(char[] c, int at, int v, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + v % 10);
      v /= 10;
    }
    return at + width;
  }

  /**
   * Parses {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} quickly, anything else through {@link Instant#parse}.
   *
   * @throws java.time.format.DateTimeParseException as {@link Instant#parse} does
   */
  public static Instant parse(String s) {
    int len = s.length();
    if (len < 20 || len > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
        || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(len - 1) != 'Z') {
      return Instant.parse(s);
    }
    int year = num(s, 0, 4);
    int month = num(s, 5, 7);
    int day = num(s, 8, 10);
    int hour = num(s, 11, 13);
    int minute = num(s, 14, 16);
    int second = num(s, 17, 19);
    int nanos = 0;
    if (len > 20) {
      if (s.charAt(19) != '.' || len - 21 > 9) {
        return Instant.parse(s);
      }
      int digits = len - 21;
      nanos = num(s, 20, len - 1);
      for (int i = digits; i < 9; i++) {
        nanos *= 10;
      }
    } else if (s.charAt(19) != 'Z') {
      return Instant.parse(s);
    }
    if ((year | month | day | hour | minute | second | nanos) < 0 || hour > 23 || minute > 59 || second > 59) {
      return Instant.parse(s);
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException e) {
      return Instant.parse(s);
    }
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
  }

  /** The decimal number in s[from, to), or -1 if a character is not a digit. */
  private static int num(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      int d = s.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }
}
