package dev.mkt.internal.dispatch;

import dev.mkt.FrequencyCap;
import dev.mkt.internal.Durations;
import dev.mkt.spi.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The per-user frequency cap: counts the user's sends on the channel (family) in the sliding period, from the
 * outbox, plus the user's deliveries in flight, so two workers cannot both take the last slot.
 */
final class FrequencyCapGate {
  /** How long to wait when only in-flight deliveries fill the cap (they finish or fail soon). */
  static final Duration IN_FLIGHT_RECHECK = Duration.ofMinutes(1);

  private final List<FrequencyCap> caps;
  private final Outbox outbox;
  private final ConcurrentHashMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Object[] stripes = new Object[64];

  FrequencyCapGate(List<FrequencyCap> caps, Outbox outbox) {
    this.caps = caps;
    this.outbox = outbox;
    for (int i = 0; i < stripes.length; i++) {
      stripes[i] = new Object();
    }
  }

  /** A place under the caps, held until {@link #release()}; or when to come back. */
  final class Reservation {
    private final List<String> keys;
    final Instant deferUntil;
    final String reason;

    private Reservation(List<String> keys, Instant deferUntil, String reason) {
      this.keys = keys;
      this.deferUntil = deferUntil;
      this.reason = reason;
    }

    boolean granted() {
      return deferUntil == null;
    }

    void release() {
      for (String k : keys) {
        inFlight.computeIfPresent(k, (kk, n) -> n.decrementAndGet() <= 0 ? null : n);
      }
    }
  }

  Reservation reserve(String userId, String channel, Instant now) {
    List<FrequencyCap> applicable = new ArrayList<>();
    for (FrequencyCap c : caps) {
      if (ChannelNames.matches(c.channel(), channel)) {
        applicable.add(c);
      }
    }
    if (applicable.isEmpty()) {
      return new Reservation(List.of(), null, null);
    }
    synchronized (stripes[Math.floorMod(userId.hashCode(), stripes.length)]) {
      for (FrequencyCap c : applicable) {
        // A send at t counts while t > now - per (the same window as the rate limiter's).
        List<Instant> sent = outbox.sentTimes(userId, c.channel(), now.minus(c.per()).plusNanos(1));
        int flying = count(key(userId, c.channel()));
        if (sent.size() + flying >= c.max()) {
          Instant until = sent.size() >= c.max()
              ? sent.get(sent.size() - c.max()).plus(c.per())
              : now.plus(IN_FLIGHT_RECHECK.compareTo(c.per()) < 0 ? IN_FLIGHT_RECHECK : c.per());
          if (!until.isAfter(now)) {
            until = now.plusMillis(1);
          }
          return new Reservation(List.of(), until, "frequency_cap: " + c.max() + " per "
              + Durations.format(c.per()) + " on " + c.channel());
        }
      }
      List<String> keys = new ArrayList<>();
      for (FrequencyCap c : applicable) {
        String k = key(userId, c.channel());
        inFlight.compute(k, (kk, n) -> {
          AtomicInteger v = n != null ? n : new AtomicInteger();
          v.incrementAndGet();
          return v;
        });
        keys.add(k);
      }
      return new Reservation(keys, null, null);
    }
  }

  private int count(String key) {
    AtomicInteger n = inFlight.get(key);
    return n == null ? 0 : n.get();
  }

  private static String key(String userId, String channel) {
    return userId + '\u0000' + channel;
  }
}
