package dev.mkt.internal;

import dev.mkt.MarketingEvent;
import dev.mkt.PayloadTypeException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Typed reads of payload values, and JSON-value equality (numbers compare by value). */
public final class PayloadValues {
  private PayloadValues() {}

  public static String asString(MarketingEvent e, String field) {
    Object v = e.get(field);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw new PayloadTypeException(e.id(), e.type(), field, "a string", v);
  }

  public static Double asDouble(MarketingEvent e, String field) {
    Object v = e.get(field);
    if (v == null) {
      return null;
    }
    if (v instanceof Number) {
      return ((Number) v).doubleValue();
    }
    throw new PayloadTypeException(e.id(), e.type(), field, "a number", v);
  }

  public static Long asLong(MarketingEvent e, String field) {
    Object v = e.get(field);
    if (v == null) {
      return null;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger && ((BigInteger) v).bitLength() < 64) {
      return ((BigInteger) v).longValue();
    }
    if (v instanceof Number) {
      double d = ((Number) v).doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15) {
        return (long) d;
      }
    }
    throw new PayloadTypeException(e.id(), e.type(), field, "an integer", v);
  }

  public static Boolean asBoolean(MarketingEvent e, String field) {
    Object v = e.get(field);
    if (v == null || v instanceof Boolean) {
      return (Boolean) v;
    }
    throw new PayloadTypeException(e.id(), e.type(), field, "a boolean", v);
  }

  /** JSON equality: maps and lists structurally, numbers by numeric value. */
  public static boolean jsonEquals(Object a, Object b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    if (a instanceof Number && b instanceof Number) {
      return toBigDecimal((Number) a).compareTo(toBigDecimal((Number) b)) == 0;
    }
    if (a instanceof Map && b instanceof Map) {
      Map<?, ?> ma = (Map<?, ?>) a;
      Map<?, ?> mb = (Map<?, ?>) b;
      if (ma.size() != mb.size()) {
        return false;
      }
      for (Map.Entry<?, ?> en : ma.entrySet()) {
        if (!mb.containsKey(en.getKey()) || !jsonEquals(en.getValue(), mb.get(en.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof List && b instanceof List) {
      List<?> la = (List<?>) a;
      List<?> lb = (List<?>) b;
      if (la.size() != lb.size()) {
        return false;
      }
      Iterator<?> ia = la.iterator();
      Iterator<?> ib = lb.iterator();
      while (ia.hasNext()) {
        if (!jsonEquals(ia.next(), ib.next())) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  private static BigDecimal toBigDecimal(Number n) {
    if (n instanceof BigDecimal) {
      return (BigDecimal) n;
    }
    if (n instanceof BigInteger) {
      return new BigDecimal((BigInteger) n);
    }
    if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      return Double.isFinite(d) ? BigDecimal.valueOf(d) : BigDecimal.valueOf(Long.MAX_VALUE);
    }
    return BigDecimal.valueOf(n.longValue());
  }
}
