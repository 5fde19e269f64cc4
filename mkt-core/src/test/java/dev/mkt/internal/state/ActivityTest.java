package dev.mkt.internal.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mkt.Activity;
import dev.mkt.ActivitySpec;
import dev.mkt.EventTypes;
import dev.mkt.MarketingEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The windowed facts rules see, at their boundaries. */
class ActivityTest {
  static final Instant T0 = Instant.parse("2026-11-28T00:00:00Z");
  final ActivitySpec spec = ActivitySpec.builder()
      .count(EventTypes.FEATURE_USAGE, Duration.ofHours(24), 8)
      .history(EventTypes.SESSION_DURATION, "seconds", 8)
      .history(EventTypes.CHURN_SIGNAL, "score", 2)
      .build();
  final ReactorState state = ReactorState.inMemory(spec);

  private Activity at(String type, Instant t, Object... kv) {
    MarketingEvent.Builder b = MarketingEvent.builder(type, "u1").timestamp(t);
    for (int i = 0; i < kv.length; i += 2) {
      b.put((String) kv[i], kv[i + 1]);
    }
    return state.apply(b.build()).activity();
  }

  @Test
  void countIsOverTheHalfOpenWindow_excludingExactly24hAgo_includingNow() {
    at(EventTypes.FEATURE_USAGE, T0);
    at(EventTypes.FEATURE_USAGE, T0.plusSeconds(1));
    Activity a = at(EventTypes.FEATURE_USAGE, T0.plus(Duration.ofHours(24)));
    assertThat(a.count(EventTypes.FEATURE_USAGE, "24h")).isEqualTo(2); // T0 is exactly 24h ago: out
    Activity b = at(EventTypes.FEATURE_USAGE, T0.plus(Duration.ofHours(24)).plusSeconds(1));
    assertThat(b.count(EventTypes.FEATURE_USAGE, "24h")).isEqualTo(2); // T0+1s is exactly 24h ago now: out
    assertThat(b.count(EventTypes.FEATURE_USAGE, Duration.ofHours(25))).isEqualTo(4);
  }

  @Test
  void previousCountIsTheCountAtThePreviousEventOfTheType() {
    for (int i = 0; i < 5; i++) {
      at(EventTypes.FEATURE_USAGE, T0.plusSeconds(i));
    }
    Activity sixth = at(EventTypes.FEATURE_USAGE, T0.plusSeconds(5));
    assertThat(sixth.count(EventTypes.FEATURE_USAGE, "24h")).isEqualTo(6);
    assertThat(sixth.previousCount(EventTypes.FEATURE_USAGE, "24h")).isEqualTo(5);
    Activity seventh = at(EventTypes.FEATURE_USAGE, T0.plusSeconds(6));
    assertThat(seventh.previousCount(EventTypes.FEATURE_USAGE, "24h")).isEqualTo(6);
    // Another type's event sees the count as of now, and the previous one as of the last usage.
    Activity other = at(EventTypes.SESSION_DURATION, T0.plus(Duration.ofHours(24)).plusSeconds(3), "seconds", 10);
    assertThat(other.count(EventTypes.FEATURE_USAGE, "24h")).isEqualTo(3);
    assertThat(other.previousCount(EventTypes.FEATURE_USAGE, "24h")).isEqualTo(7);
  }

  @Test
  void countsSaturateAtTheDeclaredCapacity() {
    for (int i = 0; i < 20; i++) {
      at(EventTypes.FEATURE_USAGE, T0.plusSeconds(i));
    }
    Activity a = at(EventTypes.FEATURE_USAGE, T0.plusSeconds(20));
    assertThat(a.count(EventTypes.FEATURE_USAGE, "24h")).isEqualTo(8);
  }

  @Test
  void outOfOrderEventsAreCountedByTheirOwnTime() {
    at(EventTypes.FEATURE_USAGE, T0.plus(Duration.ofHours(30)));
    Activity late = at(EventTypes.FEATURE_USAGE, T0);
    assertThat(late.count(EventTypes.FEATURE_USAGE, "24h")).isEqualTo(1); // the future one is not in (T0-24h, T0]
  }

  @Test
  void previousValueIsFromThePreviousEventOfTheType() {
    Activity first = at(EventTypes.CHURN_SIGNAL, T0, "score", 0.5);
    assertThat(first.previous(EventTypes.CHURN_SIGNAL, "score")).isEmpty();
    Activity second = at(EventTypes.CHURN_SIGNAL, T0.plusSeconds(1), "score", 0.9);
    assertThat(second.previousNumber(EventTypes.CHURN_SIGNAL, "score")).contains(0.5);
    Activity third = at(EventTypes.CHURN_SIGNAL, T0.plusSeconds(2));
    assertThat(third.previousNumber(EventTypes.CHURN_SIGNAL, "score")).contains(0.9);
    Activity fourth = at(EventTypes.CHURN_SIGNAL, T0.plusSeconds(3), "score", 0.95);
    assertThat(fourth.previous(EventTypes.CHURN_SIGNAL, "score")).as("the previous event had no score").isEmpty();
  }

  @Test
  void streakBelowCountsTheUnbrokenRunOfShortSessions() {
    at(EventTypes.SESSION_DURATION, T0, "seconds", 12);
    at(EventTypes.SESSION_DURATION, T0.plusSeconds(60), "seconds", 45);
    Activity a = at(EventTypes.SESSION_DURATION, T0.plusSeconds(120), "seconds", 5);
    assertThat(a.streakBelow(EventTypes.SESSION_DURATION, "seconds", 30)).isEqualTo(1);
    at(EventTypes.SESSION_DURATION, T0.plusSeconds(180), "seconds", 29.9);
    Activity third = at(EventTypes.SESSION_DURATION, T0.plusSeconds(240), "seconds", 0);
    assertThat(third.streakBelow(EventTypes.SESSION_DURATION, "seconds", 30)).isEqualTo(3);
    assertThat(third.recent(EventTypes.SESSION_DURATION, "seconds")).containsExactly(0L, 29.9, 5L, 45L, 12L);
    Activity reset = at(EventTypes.SESSION_DURATION, T0.plusSeconds(300), "seconds", 30);
    assertThat(reset.streakBelow(EventTypes.SESSION_DURATION, "seconds", 30)).isZero();
  }

  @Test
  void firstAndLastSeen() {
    Activity a = at("page", T0);
    assertThat(a.firstSeen()).isEqualTo(T0);
    assertThat(a.lastSeen()).isEmpty();
    Activity b = at("page", T0.plusSeconds(5));
    assertThat(b.lastSeen()).contains(T0);
  }

  @Test
  void askingForSomethingNotTrackedIsAClearError() {
    Activity a = at("page", T0);
    assertThatThrownBy(() -> a.count("page", "1h")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'page' is not tracked");
    assertThatThrownBy(() -> a.previous("page", "url")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'page.url' is not tracked");
    assertThat(a.count(EventTypes.FEATURE_USAGE, "24h")).isZero(); // declared, just nothing yet
  }

  @Test
  void stateRoundTripsThroughItsEncoding() {
    for (int i = 0; i < 3; i++) {
      at(EventTypes.FEATURE_USAGE, T0.plusSeconds(i));
      at(EventTypes.SESSION_DURATION, T0.plusSeconds(i), "seconds", i * 10.5);
    }
    at(EventTypes.CHURN_SIGNAL, T0, "score", true);
    UserState original = state.hotUser("u1");
    UserState copy = UserStateCodec.fromRecord(UserStateCodec.toRecord(original));
    assertThat(UserStateCodec.encodeActivity(copy)).isEqualTo(UserStateCodec.encodeActivity(original));
    assertThat(copy.contact()).isEqualTo(original.contact());
    Activity a = new ActivityView(copy, MarketingEvent.builder("x", "u1").timestamp(T0.plusSeconds(3)).build(), spec);
    assertThat(a.count(EventTypes.FEATURE_USAGE, "24h")).isEqualTo(3);
    assertThat(a.recent(EventTypes.SESSION_DURATION, "seconds")).containsExactly(21.0, 10.5, 0.0);
  }

  @Test
  void fireOnceActionsAreAdmittedOncePerUser() {
    at(EventTypes.SIGNUP, T0);
    dev.mkt.Action once = dev.mkt.Action.builder().idempotencyKey("welcome:u1:once").rule("welcome").userId("u1")
        .type(dev.mkt.ActionType.SEND_EMAIL).template("welcome_v1").notBefore(T0).build();
    dev.mkt.Action step = once.toBuilder().idempotencyKey("welcome:u1:once:day2").build();
    dev.mkt.Action every = once.toBuilder().idempotencyKey("pro_tip:u1:e7").build();
    assertThat(state.admit("u1", List.of(once, step, every))).containsExactly(once, step, every);
    assertThat(state.admit("u1", List.of(once, step, every))).containsExactly(every);
  }
}
