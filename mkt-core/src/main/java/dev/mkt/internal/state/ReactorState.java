package dev.mkt.internal.state;

import dev.mkt.Activity;
import dev.mkt.ActivitySpec;
import dev.mkt.Contact;
import dev.mkt.MarketingEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reactor's per-user state, in memory. The reactor thread applies events in log order; other threads read
 * contacts.
 */
public final class ReactorState {
  private final Map<String, UserState> users = new ConcurrentHashMap<>();
  private volatile ActivitySpec spec;

  public ReactorState(ActivitySpec spec) {
    this.spec = spec;
  }

  public ActivitySpec spec() {
    return spec;
  }

  /** Replaces the spec (rules reloaded); existing state is kept, new types start empty. */
  public void spec(ActivitySpec spec) {
    this.spec = spec;
  }

  /** What rules see for one event. */
  public record Input(Contact contact, Activity activity) {}

  /**
   * Applies an event: system events change the contact and return {@code null}; other events update traits
   * carried in the payload and the activity, and return what rules see.
   */
  public Input apply(MarketingEvent e) {
    UserState s = users.computeIfAbsent(e.userId(), UserState::new);
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

  public Contact contact(String userId) {
    UserState s = users.get(userId);
    return s == null ? Contact.empty(userId) : s.contact;
  }

  public int users() {
    return users.size();
  }

  /** The sum of {@link UserState#retainedBytes()} over all users. */
  public long retainedBytes() {
    long b = 0;
    for (UserState s : users.values()) {
      b += s.retainedBytes();
    }
    return b;
  }

  Map<String, UserState> snapshotView() {
    return new HashMap<>(users);
  }
}
