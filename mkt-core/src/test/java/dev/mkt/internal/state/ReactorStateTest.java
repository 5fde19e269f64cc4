package dev.mkt.internal.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.Activity;
import dev.mkt.ActivitySpec;
import dev.mkt.EventTypes;
import dev.mkt.MarketingEvent;
import dev.mkt.spi.StateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReactorStateTest {
  static final Instant T0 = Instant.parse("2026-11-28T00:00:00Z");
  final ActivitySpec spec = ActivitySpec.builder()
      .count(EventTypes.FEATURE_USAGE, Duration.ofHours(24), 8)
      .history(EventTypes.CHURN_SIGNAL, "score", 2)
      .build();
  @TempDir Path dir;

  private static MarketingEvent event(String type, String user, Instant t, Object... kv) {
    MarketingEvent.Builder b = MarketingEvent.builder(type, user).timestamp(t);
    for (int i = 0; i < kv.length; i += 2) {
      b.put((String) kv[i], kv[i + 1]);
    }
    return b.build();
  }

  @Test
  void inactiveUsersLeaveMemoryOnceTheLongestWindowHasPassed_andComeBackIntact() {
    try (StateStore store = StateStore.embedded(dir)) {
      ReactorState state = new ReactorState(spec, store);
      for (int u = 0; u < 1_000; u++) {
        state.apply(event(EventTypes.CHURN_SIGNAL, "u" + u, T0, "score", 0.9, "email", "u" + u + "@example.com"));
        state.apply(event(EventTypes.FEATURE_USAGE, "u" + u, T0.plusSeconds(1)));
      }
      state.checkpoint(2_000);
      assertThat(state.hotUsers()).isEqualTo(1_000);

      // 25 hours later only one user is active.
      state.apply(event(EventTypes.FEATURE_USAGE, "active", T0.plus(Duration.ofHours(25))));
      state.checkpoint(2_001);
      assertThat(state.hotUsers()).isEqualTo(1);
      assertThat(state.users()).isEqualTo(1_001);

      // A returning user is loaded from the store exactly as they were.
      assertThat(state.contact("u7").email()).contains("u7@example.com");
      Activity a = state.apply(event(EventTypes.CHURN_SIGNAL, "u7", T0.plus(Duration.ofHours(26)), "score", 0.95))
          .activity();
      assertThat(a.previousNumber(EventTypes.CHURN_SIGNAL, "score")).contains(0.9);
      assertThat(a.lastSeen()).contains(T0.plusSeconds(1));
      assertThat(a.count(EventTypes.FEATURE_USAGE, "48h")).isEqualTo(1);
      assertThat(state.hotUsers()).isEqualTo(2);
    }
  }

  @Test
  void theHotSetIsCappedOldestFirst() {
    try (StateStore store = StateStore.embedded(dir)) {
      ReactorState state = new ReactorState(spec, store, 100);
      for (int u = 0; u < 300; u++) {
        state.apply(event(EventTypes.FEATURE_USAGE, "u" + u, T0.plusSeconds(u)));
      }
      state.checkpoint(300);
      assertThat(state.hotUsers()).isEqualTo(100);
      assertThat(state.contact("u0").userId()).isEqualTo("u0");
      state.apply(event(EventTypes.FEATURE_USAGE, "u0", T0.plusSeconds(301)));
      assertThat(state.retainedBytes()).isLessThan(101L * 1024);
    }
  }

  @Test
  void stateAndPositionSurviveReopeningTheStore() {
    try (StateStore store = StateStore.embedded(dir)) {
      ReactorState state = new ReactorState(spec, store);
      state.apply(event(EventTypes.SIGNUP, "ann", T0, "email", "ann@example.com", "timezone", "Europe/Paris"));
      state.apply(event("$identify", "ann", T0, "traits", Map.of("plan", "pro")));
      state.checkpoint(2);
    }
    try (StateStore store = StateStore.embedded(dir)) {
      ReactorState state = new ReactorState(spec, store);
      assertThat(state.position()).isEqualTo(2);
      assertThat(state.contact("ann").plan()).contains("pro");
      assertThat(state.contact("ann").timezone().getId()).isEqualTo("Europe/Paris");
    }
  }
}
