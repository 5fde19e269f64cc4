package dev.mkt.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Fast ISO-8601 text for instants on the hot path: {@link #format} writes exactly what {@link Instant#toString()}
 * writes (for years 0–9999), and {@link #parse} reads {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} without the
 * {@code DateTimeFormatter} machinery, falling back to {@link Instant#parse} for any other form.
 */
public final class Instants {
  private Instants() {}

  public static String format(Instant t) {
    long sec = t.getEpochSecond();
    int nanos = t.getNano();
    LocalDateTime dt = LocalDateTime.ofEpochSecond(sec, 0, ZoneOffset.UTC);
    int year = dt.getYear();
    if (year < 0 || year > 9999) {
      return t.toString();
    }
    char[] c = new char[30];
    int n = 0;
    n = digits(c, n, year, 4);
    c[n++] = '-';
    n = digits(c, n, dt.getMonthValue(), 2);
    c[n++] = '-';
    n = digits(c, n, dt.getDayOfMonth(), 2);
    c[n++] = 'T';
    n = digits(c, n, dt.getHour(), 2);
    c[n++] = ':';
    n = digits(c, n, dt.getMinute(), 2);
    c[n++] = ':';
    n = digits(c, n, dt.getSecond(), 2);
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
