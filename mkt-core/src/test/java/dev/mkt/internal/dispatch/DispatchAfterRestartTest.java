package dev.mkt.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.Activity;
import dev.mkt.Action;
import dev.mkt.Contact;
import dev.mkt.DispatchConfig;
import dev.mkt.Marketing;
import dev.mkt.MarketingEvent;
import dev.mkt.OutboxState;
import dev.mkt.spi.RuleEngine;
import dev.mkt.spi.StateStore;
import dev.mkt.spi.UserRecord;
import dev.mkt.test.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a crash the state (contacts included) is as of its last checkpoint, and the reactor replays the log tail.
 * Dispatch must not run ahead of that replay: an action decided before the crash would meet a contact the replay
 * has not rebuilt yet and be suppressed as {@code no_address} for good. Found by DispatchCrashTest (mkt-channels),
 * where a kill -9 before the first checkpoint suppressed half of 3,000 welcome emails.
 */
class DispatchAfterRestartTest {
  @TempDir Path dir;
  final MutableClock clock = MutableClock.at("2025-03-03T12:00:00Z");
  final RecordingChannel email = new RecordingChannel();

  /** A state store that loses every checkpoint: each open starts from nothing, as after a crash before one. */
  static final class Forgetful implements StateStore {
    @Override
    public long position() {
      return 0;
    }

    @Override
    public Optional<UserRecord> load(String userId) {
      return Optional.empty();
    }

    @Override
    public void checkpoint(Collection<UserRecord> changed, long position) {}

    @Override
    public long size() {
      return 0;
    }
  }

  /** The test rules, but evaluating a {@code page_view} waits for the test: the replay is held there. */
  static final class HeldRules implements RuleEngine {
    final TestRules rules = new TestRules();
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public List<Action> evaluate(MarketingEvent e, Contact c, Activity a) {
      if (e.type().equals("page_view")) {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
        }
      }
      return rules.evaluate(e, c, a);
    }
  }

  private Marketing engine(RuleEngine rules) {
    return Marketing.builder().dataDirectory(dir).clock(clock).ruleEngine(rules).stateStore(new Forgetful())
        .dispatch(DispatchConfig.custom().pollInterval(Duration.ofMillis(5)).frequencyCaps().build())
        .channelProvider(email.provider("email.recording", "email")).build();
  }

  @Test
  void afterARestart_dispatchWaitsForTheReplay_soTheContactIsKnownWhenTheActionIsSent() throws Exception {
    try (Marketing mkt = engine(new TestRules())) {
      assertThat(mkt.track(MarketingEvent.builder("page_view", "someone-else").timestamp(clock.instant()).build())
          .isAccepted()).isTrue();
      mkt.identify("u1", Map.of("email", "ada@example.com"));
      assertThat(mkt.track(MarketingEvent.builder(TestRules.ACTION, "u1").timestamp(clock.instant())
          .put("key", "k1").put("delay", "1h").build()).isAccepted()).isTrue();
      assertThat(mkt.awaitProcessed(Duration.ofSeconds(10))).isTrue();
      assertThat(mkt.dispatch().status("k1").orElseThrow().state()).isEqualTo(OutboxState.PENDING);
    }
    clock.advance(Duration.ofHours(2)); // the action is due when the engine comes back

    HeldRules held = new HeldRules();
    try (Marketing mkt = engine(held)) {
      // The replay is held before the identify: the contact is unknown, and the action must wait for it.
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
      while (System.nanoTime() < until) {
        assertThat(mkt.dispatch().status("k1").orElseThrow().state()).isEqualTo(OutboxState.PENDING);
        Thread.sleep(5);
      }
      assertThat(email.deliveries).isEmpty();

      held.release.countDown();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (mkt.dispatch().status("k1").orElseThrow().state() != OutboxState.SENT
          && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(mkt.dispatch().status("k1").orElseThrow().state()).isEqualTo(OutboxState.SENT);
      assertThat(email.deliveries).singleElement()
          .satisfies(d -> assertThat(d.contact().email()).contains("ada@example.com"));
    }
  }
}
