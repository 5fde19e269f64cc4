package dev.mkt.channels.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.DispatchLimits;
import dev.mkt.OutboxEntry;
import dev.mkt.OutboxState;
import dev.mkt.QuietHours;
import dev.mkt.channels.EmailFixture;
import dev.mkt.internal.dispatch.TestRules;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 4's dispatch tests with real SMTP delivery: rate limit, dead letter, opt-out, quiet hours. */
class DispatchGatesEmailTest {
  @TempDir Path dir;
  EmailFixture f;

  @BeforeEach
  void setUp() {
    f = new EmailFixture(dir);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void twoThousandActions_neverPutMoreThan500EmailsIntoAnySlidingHour_andAllAreSent() throws Exception {
    f.start(new TestRules(), EmailFixture.dispatch().limits(DispatchLimits.ofDefaults()).build(), b -> b);
    f.identify("u1", Map.of("email", "ada@example.com"));
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      keys.add(f.track(TestRules.ACTION, "u1", "key", "k" + i, "template", "welcome_v1").getString("key").get());
    }
    f.settle();
    assertThat(f.received()).hasSize(500);
    assertThat(keys.stream().map(f::status).filter(e -> e.state() == OutboxState.PENDING))
        .hasSize(1500).allSatisfy(e -> assertThat(e.reason()).isEqualTo("rate_limited: 500 per 1h on email"));
    for (int step = 0; step < 80 && f.received().length < 2000; step++) {
      f.clock.advance(Duration.ofMinutes(5));
      f.settle();
    }
    assertThat(f.received()).hasSize(2000);
    List<Instant> sentAt = new ArrayList<>();
    for (String k : keys) {
      OutboxEntry e = f.status(k);
      assertThat(e.state()).isEqualTo(OutboxState.SENT);
      sentAt.add(e.updatedAt());
    }
    sentAt.sort(null);
    for (int i = 0; i + 500 < sentAt.size(); i++) {
      assertThat(Duration.between(sentAt.get(i), sentAt.get(i + 500))).isGreaterThanOrEqualTo(Duration.ofHours(1));
    }
  }

  @Test
  void anUnreachableSmtpServer_deadLettersTheActionAfterMaxRetries_withTheReason() throws Exception {
    f.stopSmtp(); // the configured port now refuses connections
    f.start(new TestRules(), EmailFixture.dispatch().limits(DispatchLimits.custom().maxRetries(3).build())
        .circuitBreaker(100, 50, 50, Duration.ofMinutes(1)).build(), b -> b);
    f.identify("u1", Map.of("email", "ada@example.com"));
    f.track(TestRules.ACTION, "u1", "key", "k1", "template", "welcome_v1");
    f.settle();
    for (int i = 0; i < 8 && f.status("k1").state() != OutboxState.DEAD; i++) {
      f.clock.advance(Duration.ofHours(1));
      f.settle();
    }
    OutboxEntry dead = f.status("k1");
    assertThat(dead.state()).isEqualTo(OutboxState.DEAD);
    assertThat(dead.attempts()).isEqualTo(4);
    assertThat(dead.reason()).startsWith("max_retries_exceeded: 4 attempts, last: smtp_connect_failed: 127.0.0.1:"
        + f.smtpPort);
    assertThat(dead.provider()).isEqualTo("email.smtp");
    assertThat(f.mkt.dispatch().deadLetters(10)).extracting(OutboxEntry::key).containsExactly("k1");

    // Fixed: the server is back; the operator replays the dead letter.
    f.startSmtp(f.smtpPort);
    f.mkt.dispatch().replay("k1");
    f.settle();
    assertThat(f.received()).hasSize(1);
    assertThat(f.status("k1").state()).isEqualTo(OutboxState.SENT);
  }

  @Test
  void anOptOutAfterQueueing_sendsNothing() throws Exception {
    f.start(new TestRules());
    f.identify("u1", Map.of("email", "ada@example.com"));
    f.track(TestRules.ACTION, "u1", "key", "day2", "template", "welcome_day2", "delay", "2d");
    f.track(TestRules.ACTION, "u1", "key", "day5", "template", "welcome_day5", "delay", "5d");
    f.settle();
    f.mkt.optOut("u1", "settings-page");
    f.clock.advance(Duration.ofDays(6));
    f.settle();
    assertThat(f.received()).isEmpty();
    assertThat(f.status("day2").reason()).isEqualTo("opted_out");
    assertThat(f.status("day5").reason()).isEqualTo("opted_out");
  }

  @Test
  void quietHours_deferTheEmailToTheUsersMorning() throws Exception {
    f.clock.set(Instant.parse("2025-03-04T14:30:00Z")); // 23:30 in Tokyo (UTC+9)
    f.start(new TestRules(), EmailFixture.dispatch()
        .quietHours(QuietHours.between(LocalTime.of(21, 0), LocalTime.of(8, 0))).build(), b -> b);
    f.identify("u1", Map.of("email", "ken@example.jp", "timezone", "Asia/Tokyo"));
    f.track(TestRules.ACTION, "u1", "key", "k1", "template", "welcome_v1");
    f.settle();
    assertThat(f.received()).isEmpty();
    assertThat(f.status("k1").dueAt()).isEqualTo(Instant.parse("2025-03-04T23:00:00Z")); // 08:00 in Tokyo
    f.clock.set(Instant.parse("2025-03-04T22:59:59Z"));
    f.settle();
    assertThat(f.received()).isEmpty();
    f.clock.set(Instant.parse("2025-03-04T23:00:00Z"));
    f.settle();
    assertThat(f.received()).hasSize(1);
  }
}
