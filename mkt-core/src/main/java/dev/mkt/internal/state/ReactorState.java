package dev.mkt.internal.state;

import dev.mkt.Action;
import dev.mkt.Activity;
import dev.mkt.ActivitySpec;
import dev.mkt.Contact;
import dev.mkt.MarketingEvent;
import dev.mkt.spi.StateStore;
import dev.mkt.spi.UserRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reactor's per-user state: hot users in memory, all users in a {@link StateStore} as of a log position.
 *
 * <p>The reactor thread applies events in log order and, at each commit, {@link #checkpoint checkpoints} the
 * users it changed with the position it reached. Users whose last event is older than the longest counting
 * window (and any beyond {@link #maxHotUsers}, oldest first) are then dropped from memory: their state is in
 * the store and is loaded again, identical, when they come back. Other threads read contacts.
 */
public final class ReactorState {
  private static final Logger log = LoggerFactory.getLogger(ReactorState.class);
  /** Hot users kept in memory at most, by default. */
  public static final int DEFAULT_MAX_HOT_USERS = 1_000_000;
  private static final long MIN_HOT_MILLIS = 3_600_000L;

  private final StateStore store;
  private final int maxHotUsers;
  private final Map<String, UserState> hot = new ConcurrentHashMap<>();
  private final List<UserState> dirty = new ArrayList<>();
  private volatile ActivitySpec spec;
  private long maxEventTime = Long.MIN_VALUE;

  public ReactorState(ActivitySpec spec, StateStore store) {
    this(spec, store, DEFAULT_MAX_HOT_USERS);
  }

  public ReactorState(ActivitySpec spec, StateStore store, int maxHotUsers) {
    this.spec = spec;
    this.store = store;
    this.maxHotUsers = maxHotUsers;
  }

  /** State kept in memory only, with nothing persisted: for backtests and the rule test kit. */
  public static ReactorState inMemory(ActivitySpec spec) {
    return new ReactorState(spec, null, Integer.MAX_VALUE);
  }

  public ActivitySpec spec() {
    return spec;
  }

  /** Replaces the spec (rules reloaded); existing state is kept, new types start empty. */
  public void spec(ActivitySpec spec) {
    this.spec = spec;
  }

  /** The log position the persisted state reflects (0 without a store). */
  public long position() {
    return store == null ? 0 : store.position();
  }

  /** What rules see for one event. */
  public record Input(Contact contact, Activity activity) {}

  /**
   * Applies an event: system events change the contact and return {@code null}; other events update traits
   * carried in the payload and the activity, and return what rules see.
   */
  public Input apply(MarketingEvent e) {
    UserState s = user(e.userId());
    markDirty(s);
    long t = e.timestamp().toEpochMilli();
    if (t > maxEventTime) {
      maxEventTime = t;
    }
    if (SystemEvents.isSystem(e.type())) {
      s.contact = SystemEvents.apply(s.contact, e);
      return null;
    }
    Map<String, Object> traits = Traits.fromEvent(e);
    if (!traits.isEmpty()) {
      s.contact = Traits.merge(s.contact, traits);
    }
    s.record(e, spec);
    return new Input(s.contact, new ActivityView(s, e, spec));
  }

  private void markDirty(UserState s) {
    if (!s.dirty) {
      s.dirty = true;
      dirty.add(s);
    }
  }

  private UserState user(String userId) {
    UserState s = hot.get(userId);
    if (s == null) {
      Optional<UserRecord> stored = store == null ? Optional.empty() : store.load(userId);
      s = stored.map(UserStateCodec::fromRecord).orElseGet(() -> new UserState(userId));
      hot.put(userId, s);
    }
    return s;
  }

  /**
   * Drops the actions that must fire at most once per user and already fired for this user, and remembers
   * the others. An action is fire-once when its idempotency key has an {@code once} segment
   * ({@code rule:user:once} or {@code rule:user:once:step}). The markers are part of the durable state, so
   * this holds across restarts and beyond the outbox's retention.
   */
  public List<Action> admit(String userId, List<Action> actions) {
    if (actions.isEmpty()) {
      return actions;
    }
    UserState s = user(userId);
    List<Action> out = null;
    for (int i = 0; i < actions.size(); i++) {
      Action a = actions.get(i);
      String key = a.idempotencyKey();
      boolean once = key.endsWith(":once") || key.contains(":once:");
      boolean keep = !once || !s.hasMarker(key);
      if (once && keep) {
        s.addMarker(key);
        markDirty(s);
      }
      if (!keep && out == null) {
        out = new ArrayList<>(actions.subList(0, i));
      } else if (keep && out != null) {
        out.add(a);
      }
    }
    return out == null ? actions : out;
  }

  /** The contact: hot, else stored, else empty. Thread-safe. */
  public Contact contact(String userId) {
    UserState s = hot.get(userId);
    if (s != null) {
      return s.contact;
    }
    if (store != null) {
      Optional<UserRecord> r = store.load(userId);
      if (r.isPresent()) {
        return r.get().contact();
      }
    }
    return Contact.empty(userId);
  }

  /**
   * Persists the users changed since the last checkpoint with {@code position}, then drops cold users from
   * memory. Reactor thread only.
   */
  public void checkpoint(long position) {
    if (store == null) {
      return;
    }
    List<UserRecord> changed = new ArrayList<>(dirty.size());
    for (UserState s : dirty) {
      changed.add(UserStateCodec.toRecord(s));
    }
    store.checkpoint(changed, position);
    for (UserState s : dirty) {
      s.dirty = false;
    }
    dirty.clear();
    evictCold();
  }

  private void evictCold() {
    // Keep users for the longest window (and at least an hour, so bursts do not reload from disk).
    long window = Math.max(spec.longestWindow().toMillis(), MIN_HOT_MILLIS);
    long cutoff = maxEventTime - window;
    int evicted = 0;
    for (UserState s : hot.values()) {
      if (s.lastSeen < cutoff) {
        hot.remove(s.userId);
        evicted++;
      }
    }
    if (hot.size() > maxHotUsers) {
      List<UserState> byAge = new ArrayList<>(hot.values());
      byAge.sort(Comparator.comparingLong(u -> u.lastSeen));
      for (int i = 0; i < byAge.size() - maxHotUsers; i++) {
        hot.remove(byAge.get(i).userId);
        evicted++;
      }
    }
    if (evicted > 0) {
      log.debug("state: {} cold users dropped from memory ({} hot)", evicted, hot.size());
    }
  }

  /** A hot user's state, or null (tests and benchmarks). */
  UserState hotUser(String userId) {
    return hot.get(userId);
  }

  /** Users in memory. */
  public int hotUsers() {
    return hot.size();
  }

  /** Users known, in memory or stored. */
  public long users() {
    return store == null ? hot.size() : Math.max(store.size(), hot.size());
  }

  /** The sum of {@link UserState#retainedBytes()} over hot users. */
  public long retainedBytes() {
    long b = 0;
    for (UserState s : hot.values()) {
      b += s.retainedBytes();
    }
    return b;
  }
}
