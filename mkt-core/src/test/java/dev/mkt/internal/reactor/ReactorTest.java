package dev.mkt.internal.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.Action;
import dev.mkt.ActionType;
import dev.mkt.ActivitySpec;
import dev.mkt.EventLogConfig;
import dev.mkt.EventTypes;
import dev.mkt.Marketing;
import dev.mkt.MarketingEvent;
import dev.mkt.MarketingStats;
import dev.mkt.RuleEvaluationException;
import dev.mkt.internal.DefaultMarketing;
import dev.mkt.spi.EventLog;
import dev.mkt.spi.Outbox;
import dev.mkt.spi.RuleEngine;
import dev.mkt.test.MutableClock;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReactorTest {
  @TempDir Path dir;
  MutableClock clock = MutableClock.at("2026-11-28T10:00:00Z");

  /** Records what the reactor queued; keeps one action per idempotency key, like every outbox. */
  static final class RecordingOutbox implements Outbox {
    final Map<String, Action> actions = new LinkedHashMap<>();
    int flushes;

    @Override
    public synchronized int putAll(Collection<Action> batch) {
      int added = 0;
      for (Action a : batch) {
        if (actions.putIfAbsent(a.idempotencyKey(), a) == null) {
          added++;
        }
      }
      return added;
    }

    @Override
    public synchronized void flush() {
      flushes++;
    }
  }

  /** Emails "hello" once per user on signup, and counts what it saw. */
  static final class SignupRule implements RuleEngine {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public List<Action> evaluate(MarketingEvent e, dev.mkt.Contact c, dev.mkt.Activity a) {
      seen.add(e.id());
      if (e.type().equals("boom")) {
        throw new RuleEvaluationException("exploding_rule", e.id(), "boom on purpose", null);
      }
      if (!e.type().equals(EventTypes.SIGNUP)) {
        return List.of();
      }
      return List.of(Action.builder().idempotencyKey("welcome:" + e.userId() + ":once").rule("welcome")
          .userId(e.userId()).eventId(e.id()).type(ActionType.SEND_EMAIL).template("welcome_v1")
          .notBefore(e.timestamp()).build());
    }

    @Override
    public ActivitySpec activitySpec() {
      return ActivitySpec.empty();
    }
  }

  private Marketing open(RuleEngine rules, Outbox outbox) {
    return Marketing.builder().dataDirectory(dir).clock(clock).ruleEngine(rules).outbox(outbox)
        .commitInterval(Duration.ZERO).build();
  }

  private MarketingEvent signup(String id, String user) {
    return MarketingEvent.builder(EventTypes.SIGNUP, user).id(id).timestamp(clock.instant())
        .put("email", user + "@example.com").put("email_verified", true).build();
  }

  @Test
  void decisionsReachTheOutbox_andTheRulesSeeTheContactFromTheEvent() throws Exception {
    RecordingOutbox outbox = new RecordingOutbox();
    List<String> emails = new CopyOnWriteArrayList<>();
    RuleEngine rules = (e, c, a) -> {
      emails.add(c.email().orElse("-"));
      return new SignupRule().evaluate(e, c, a);
    };
    try (Marketing mkt = open(rules, outbox)) {
      mkt.track(signup("e1", "ann"));
      mkt.track(signup("e2", "bob"));
      mkt.track(signup("e3", "ann")); // a second signup: the fire-once key is already marked for ann
      assertThat(mkt.awaitProcessed(Duration.ofSeconds(10))).isTrue();
      MarketingStats s = mkt.stats();
      assertThat(s.processed()).isEqualTo(3);
      assertThat(s.lag()).isZero();
      assertThat(s.actionsDecided()).isEqualTo(2);
      assertThat(s.actionsQueued()).isEqualTo(2);
    }
    assertThat(outbox.actions.keySet()).containsExactly("welcome:ann:once", "welcome:bob:once");
    assertThat(emails).containsExactly("ann@example.com", "bob@example.com", "ann@example.com");
    assertThat(outbox.flushes).isPositive();
  }

  @Test
  void thePositionIsCommitted_soARestartDoesNotReprocess() throws Exception {
    SignupRule rules = new SignupRule();
    try (Marketing mkt = open(rules, new RecordingOutbox())) {
      mkt.track(signup("e1", "ann"));
      mkt.track(signup("e2", "bob"));
      assertThat(mkt.awaitProcessed(Duration.ofSeconds(10))).isTrue();
    }
    try (Marketing mkt = open(rules, new RecordingOutbox())) {
      mkt.track(signup("e3", "cy"));
      assertThat(mkt.awaitProcessed(Duration.ofSeconds(10))).isTrue();
      assertThat(((DefaultMarketing) mkt).eventLog().committed(Reactor.GROUP)).isLessThanOrEqualTo(3);
    }
    assertThat(rules.seen).containsExactly("e1", "e2", "e3");
  }

  @Test
  void aFailingRuleDeadLettersItsEvent_namingRuleAndEvent_andTheReactorGoesOn() throws Exception {
    SignupRule rules = new SignupRule();
    RecordingOutbox outbox = new RecordingOutbox();
    try (Marketing mkt = open(rules, outbox)) {
      mkt.track(MarketingEvent.builder("boom", "ann").id("bad-1").timestamp(clock.instant()).build());
      mkt.track(signup("e2", "bob"));
      assertThat(mkt.awaitProcessed(Duration.ofSeconds(10))).isTrue();
      assertThat(mkt.stats().deadLettered()).isEqualTo(1);
      var letters = ((DefaultMarketing) mkt).deadLetters().list();
      assertThat(letters).hasSize(1);
      assertThat(letters.get(0).get("eventId").asText()).isEqualTo("bad-1");
      assertThat(letters.get(0).get("reason").asText()).contains("exploding_rule").contains("bad-1");
      assertThat(MarketingEvent.fromJson(java.util.Base64.getDecoder().decode(letters.get(0).get("record").asText())).id())
          .isEqualTo("bad-1");
    }
    assertThat(outbox.actions).containsKey("welcome:bob:once");
  }

  @Test
  void anUndecodableRecordIsDeadLettered() throws Exception {
    try (EventLog log = EventLog.embedded(EventLogConfig.ofDefaults(dir.resolve("log")))) {
      log.append("junk", clock.millis(), "not json at all".getBytes());
      log.whenDurable(0).get();
    }
    RecordingOutbox outbox = new RecordingOutbox();
    try (Marketing mkt = open(new SignupRule(), outbox)) {
      mkt.track(signup("e2", "bob"));
      assertThat(mkt.awaitProcessed(Duration.ofSeconds(10))).isTrue();
      var letters = ((DefaultMarketing) mkt).deadLetters().list();
      assertThat(letters).hasSize(1);
      assertThat(letters.get(0).get("offset").asLong()).isZero();
      assertThat(letters.get(0).get("reason").asText()).contains("undecodable");
    }
    assertThat(outbox.actions).containsKey("welcome:bob:once");
  }

  @Test
  void aCorruptedStretchOfTheLogIsDeadLetteredWithItsPosition() throws Exception {
    try (Marketing mkt = Marketing.builder().dataDirectory(dir).clock(clock).startReactor(false).build()) {
      for (int i = 0; i < 5; i++) {
        mkt.track(signup("e" + i, "u" + i)).durable().get();
      }
    }
    Path seg;
    try (var s = Files.list(dir.resolve("log").resolve("segments"))) {
      seg = s.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
    }
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.seek(16 + 40);
      f.write(f.read() ^ 0x01);
    }
    SignupRule rules = new SignupRule();
    try (Marketing mkt = open(rules, new RecordingOutbox())) {
      assertThat(mkt.awaitProcessed(Duration.ofSeconds(10))).isTrue();
      var letters = ((DefaultMarketing) mkt).deadLetters().list();
      assertThat(letters).hasSize(1);
      assertThat(letters.get(0).get("reason").asText()).contains("log corruption").contains(seg.getFileName().toString())
          .contains("crc mismatch");
    }
    assertThat(rules.seen).containsExactly("e1", "e2", "e3", "e4");
  }

  @Test
  void identifyMergesTraits_nullRemoves_badTraitsAreTypedErrorsAndChangeNothing() throws Exception {
    try (Marketing mkt = open(new SignupRule(), new RecordingOutbox())) {
      mkt.identify("ann", Map.of("email", "ann@example.com", "timezone", "Europe/Berlin", "plan", "pro"));
      assertThat(mkt.awaitProcessed(Duration.ofSeconds(10))).isTrue();
      assertThat(mkt.contact("ann").email()).contains("ann@example.com");
      assertThat(mkt.contact("ann").timezone()).hasToString("Europe/Berlin");
      Map<String, Object> remove = new LinkedHashMap<>();
      remove.put("plan", null);
      mkt.identify("ann", remove);
      assertThat(mkt.awaitProcessed(Duration.ofSeconds(10))).isTrue();
      assertThat(mkt.contact("ann").plan()).isEmpty();

      assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
          () -> mkt.identify("ann", Map.of("email", "not-an-address")), dev.mkt.InvalidTraitException.class).reason())
          .isEqualTo(dev.mkt.InvalidTraitException.Reason.INVALID_EMAIL);
      assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
          () -> mkt.identify("ann", Map.of("timezone", "Mars/Olympus")), dev.mkt.InvalidTraitException.class).reason())
          .isEqualTo(dev.mkt.InvalidTraitException.Reason.INVALID_TIMEZONE);
      assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
          () -> mkt.identify("ann", Map.of("bio", "x".repeat(5000))), dev.mkt.InvalidTraitException.class).reason())
          .isEqualTo(dev.mkt.InvalidTraitException.Reason.TRAIT_TOO_LARGE);
      assertThat(mkt.awaitProcessed(Duration.ofSeconds(10))).isTrue();
      assertThat(mkt.contact("ann").email()).contains("ann@example.com");
      assertThat(mkt.contact("ann").timezone()).hasToString("Europe/Berlin");
    }
  }

  @Test
  void optOutIsVisibleAtOnce_andDurableThroughTheLog() throws Exception {
    try (Marketing mkt = Marketing.builder().dataDirectory(dir).clock(clock).startReactor(false).build()) {
      mkt.optOut("ann", "settings-page");
      mkt.unsubscribe("bob", "email", "one-click");
      assertThat(mkt.contact("ann").optedOut()).isTrue(); // before any reactor ran
      assertThat(mkt.contact("bob").unsubscribed("email")).isTrue();
      assertThat(mkt.contact("bob").unsubscribed("in_app")).isFalse();
    }
    try (Marketing mkt = open(new SignupRule(), new RecordingOutbox())) {
      assertThat(mkt.awaitProcessed(Duration.ofSeconds(10))).isTrue();
      assertThat(mkt.contact("ann").optOut()).hasValueSatisfying(r -> {
        assertThat(r.source()).isEqualTo("settings-page");
        assertThat(r.at()).isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
      });
      assertThat(mkt.contact("bob").unsubscribes().get("email").source()).isEqualTo("one-click");
    }
  }
}
