package dev.mkt.internal.state;

import dev.mkt.ActivitySpec;
import dev.mkt.Contact;
import dev.mkt.MarketingEvent;
import java.util.Arrays;
import java.util.Map;

/**
 * Everything the reactor remembers about one user: the contact, first/last seen, and the windowed activity
 * declared by the {@link ActivitySpec}. Mutated only by the reactor thread; {@link #contact} is an immutable
 * snapshot published through a volatile field so dispatch can read it from other threads.
 */
public final class UserState {
  final String userId;
  volatile Contact contact;
  long firstSeen = Long.MIN_VALUE;
  long lastSeen = Long.MIN_VALUE;
  long previousSeen = Long.MIN_VALUE;
  String[] ringTypes = new String[0];
  TimestampRing[] rings = new TimestampRing[0];
  String[] historyTypes = new String[0];
  String[] historyFields = new String[0];
  ValueHistory[] histories = new ValueHistory[0];
  /**
   * Fire-once markers: idempotency keys that must not fire again for this user, stored without the user id
   * and interned ({@code welcome:*:once:email/welcome_v1}), so all users share one string per marker.
   */
  String[] markers = NO_MARKERS;
  /** Changed since the last checkpoint (reactor thread only). */
  boolean dirty;

  private static final String[] NO_MARKERS = new String[0];

  UserState(String userId) {
    this.userId = userId;
    this.contact = Contact.empty(userId);
  }

  public String userId() {
    return userId;
  }

  public Contact contact() {
    return contact;
  }

  /** Records an event's timestamp and declared fields. */
  void record(MarketingEvent e, ActivitySpec spec) {
    long t = e.timestamp().toEpochMilli();
    previousSeen = lastSeen;
    lastSeen = t;
    if (firstSeen == Long.MIN_VALUE || t < firstSeen) {
      firstSeen = t;
    }
    ActivitySpec.Count c = spec.counts().get(e.type());
    if (c != null) {
      TimestampRing r = ring(e.type(), true, c.capacity());
      r.add(t, c.capacity());
    }
    Map<String, Integer> fields = spec.histories().get(e.type());
    if (fields != null) {
      for (Map.Entry<String, Integer> f : fields.entrySet()) {
        Object v = e.payload().containsKey(f.getKey()) ? scalar(e.payload().get(f.getKey())) : ValueHistory.ABSENT;
        history(e.type(), f.getKey(), true, f.getValue()).add(v, f.getValue());
      }
    }
  }

  private static Object scalar(Object v) {
    if (v == null) {
      return ValueHistory.ABSENT;
    }
    if (v instanceof Number && !(v instanceof Double)) {
      double d = ((Number) v).doubleValue();
      long l = ((Number) v).longValue();
      return d == l ? (Object) l : (Object) d;
    }
    if (v instanceof String || v instanceof Boolean || v instanceof Double) {
      return v;
    }
    return v.toString();
  }

  TimestampRing ring(String type, boolean create, int capacity) {
    for (int i = 0; i < ringTypes.length; i++) {
      if (ringTypes[i].equals(type)) {
        return rings[i];
      }
    }
    if (!create) {
      return null;
    }
    TimestampRing r = new TimestampRing(capacity);
    ringTypes = Arrays.copyOf(ringTypes, ringTypes.length + 1);
    rings = Arrays.copyOf(rings, rings.length + 1);
    ringTypes[ringTypes.length - 1] = type.intern();
    rings[rings.length - 1] = r;
    return r;
  }

  ValueHistory history(String type, String field, boolean create, int depth) {
    for (int i = 0; i < historyTypes.length; i++) {
      if (historyTypes[i].equals(type) && historyFields[i].equals(field)) {
        return histories[i];
      }
    }
    if (!create) {
      return null;
    }
    ValueHistory h = new ValueHistory(depth);
    int n = histories.length;
    historyTypes = Arrays.copyOf(historyTypes, n + 1);
    historyFields = Arrays.copyOf(historyFields, n + 1);
    histories = Arrays.copyOf(histories, n + 1);
    historyTypes[n] = type.intern();
    historyFields[n] = field.intern();
    histories[n] = h;
    return h;
  }

  /** The shared form of a fire-once key: the user id replaced by {@code *}. */
  static String marker(String key, String userId) {
    String seg = ':' + userId + ':';
    int i = key.indexOf(seg);
    String m = i < 0 ? key : key.substring(0, i) + ":*:" + key.substring(i + seg.length());
    return m.intern();
  }

  boolean hasMarker(String key) {
    String m = marker(key, userId);
    for (String x : markers) {
      if (x == m) {
        return true;
      }
    }
    return false;
  }

  void addMarker(String key) {
    if (!hasMarker(key)) {
      markers = Arrays.copyOf(markers, markers.length + 1);
      markers[markers.length - 1] = marker(key, userId);
    }
  }

  /** Drops counted timestamps older than each type's window before {@code now}; true if nothing is left to count. */
  boolean expire(long now, ActivitySpec spec) {
    boolean empty = true;
    for (int i = 0; i < rings.length; i++) {
      ActivitySpec.Count c = spec.counts().get(ringTypes[i]);
      long window = c == null ? 0 : c.window().toMillis();
      rings[i].expire(now - window);
      empty &= rings[i].size == 0;
    }
    return empty;
  }

  /** An estimate of the heap this state retains, in bytes. */
  public int retainedBytes() {
    int b = 64 + 40 + userId.length();
    for (TimestampRing r : rings) {
      b += r.retainedBytes() + 8;
    }
    for (ValueHistory h : histories) {
      b += h.retainedBytes() + 8;
    }
    return b;
  }
}
