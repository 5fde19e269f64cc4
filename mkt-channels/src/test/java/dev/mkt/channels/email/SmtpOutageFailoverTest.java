package dev.mkt.channels.email;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mkt.DispatchStats;
import dev.mkt.OutboxEntry;
import dev.mkt.OutboxState;
import dev.mkt.channels.EmailFixture;
import dev.mkt.channels.ResendServer;
import dev.mkt.internal.dispatch.TestRules;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4: SMTP goes down mid-run (GreenMail stopped): attempts fail and are retried, SMTP's breaker opens, the
 * emails fail over to the HTTP provider (a local server checking Resend's documented request), and after SMTP
 * recovers it serves again. Every action is sent exactly once; nothing is lost.
 */
class SmtpOutageFailoverTest {
  @TempDir Path dir;
  EmailFixture f;
  ResendServer resend;

  @BeforeEach
  void setUp() throws Exception {
    f = new EmailFixture(dir);
    resend = new ResendServer("re_test_123");
  }

  @AfterEach
  void tearDown() {
    f.close();
    resend.close();
  }

  private List<String> send(int n, String prefix) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String user = prefix + i;
      f.identify(user, Map.of("email", user + "@example.com"));
      String key = "welcome_sequence:" + user + ":welcome_v1";
      f.track(TestRules.ACTION, user, "key", key, "template", "welcome_v1");
      keys.add(key);
    }
    return keys;
  }

  @Test
  void anSmtpOutage_retries_opensTheBreaker_failsOverToResend_andLosesNothing() throws Exception {
    f.start(new TestRules(), EmailFixture.dispatch().circuitBreaker(50, 3, 5, Duration.ofMinutes(10)).build(),
        b -> b.channelProperty("email.provider", "smtp,resend")
            .channelProperty("email.resend.api-key", "re_test_123")
            .channelProperty("email.resend.base-url", resend.baseUrl()));

    // 1. SMTP up: SMTP sends.
    List<String> before = send(5, "a");
    f.settle();
    assertThat(f.received()).hasSize(5);
    assertThat(resend.sent).isEmpty();

    // 2. SMTP down: failures, retries, the breaker opens, Resend takes over.
    f.stopSmtp();
    List<String> during = send(10, "b");
    f.settle();
    DispatchStats mid = f.mkt.dispatch().stats();
    assertThat(mid.breakers()).containsEntry("email.smtp", "OPEN");
    assertThat(mid.channels().get("email").retried()).isGreaterThanOrEqualTo(3);
    for (int step = 0; step < 10 && !allSent(during); step++) {
      f.clock.advance(Duration.ofMinutes(2)); // retries come due; the breaker (10 min) stays open
      f.settle();
    }
    assertThat(during).allSatisfy(k -> assertThat(f.status(k).state()).isEqualTo(OutboxState.SENT));
    assertThat(resend.sent).hasSize(10);
    OutboxEntry retried = during.stream().map(f::status).filter(e -> e.attempts() > 1).findFirst().orElseThrow();
    assertThat(retried.provider()).isEqualTo("email.resend");
    assertThat(f.mkt.dispatch().stats().channels().get("email").failedOver()).isEqualTo(10);

    // Each Resend request was the documented one, with the action's key as Idempotency-Key.
    JsonNode first = resend.sent.get(0);
    assertThat(first.get("from").asText()).isEqualTo("Acme <hello@mail.acme.test>");
    assertThat(first.get("to").get(0).asText()).matches("b\\d@example\\.com");
    assertThat(first.get("subject").asText()).isEqualTo("Welcome to Acme");
    assertThat(first.get("html").asText()).contains("<p>Hi there,</p>");
    assertThat(first.get("text").asText()).contains("Hi there,");
    assertThat(first.get("reply_to").asText()).isEqualTo("Acme Support <support@acme.test>");
    assertThat(first.get("headers").get("Message-ID").asText()).matches("<[0-9a-f]{40}@mail\\.acme\\.test>");
    assertThat(first.get("headers").get("List-Unsubscribe-Post").asText()).isEqualTo("List-Unsubscribe=One-Click");
    assertThat(resend.idempotencyKeys).allMatch(k -> k.startsWith("welcome_sequence:b"));

    // 3. SMTP back: after the open wait the breaker lets a trial through, closes, and SMTP serves again.
    f.startSmtp(f.smtpPort);
    f.clock.advance(Duration.ofMinutes(11));
    List<String> after = send(1, "c"); // the half-open breaker's trial call
    f.settle();
    assertThat(f.mkt.dispatch().stats().breakers()).containsEntry("email.smtp", "CLOSED");
    after.addAll(send(3, "d"));
    f.settle();
    assertThat(after).allSatisfy(k -> assertThat(f.status(k).state()).isEqualTo(OutboxState.SENT));
    assertThat(f.received()).hasSize(4);

    // Nothing lost, nothing twice.
    Set<String> delivered = new HashSet<>();
    for (String k : before) {
      assertThat(f.status(k).provider()).isEqualTo("email.smtp");
      delivered.add(k);
    }
    for (String k : during) {
      assertThat(f.status(k).provider()).isEqualTo("email.resend");
      delivered.add(k);
    }
    for (String k : after) {
      assertThat(f.status(k).provider()).isEqualTo("email.smtp");
      delivered.add(k);
    }
    assertThat(delivered).hasSize(19);
    assertThat(f.received().length + before.size() + resend.sent.size()).isEqualTo(19);
    assertThat(f.mkt.dispatch().stats().count(OutboxState.SENT)).isEqualTo(19);
    assertThat(f.mkt.dispatch().deadLetters(10)).isEmpty();
  }

  private boolean allSent(List<String> keys) {
    return keys.stream().allMatch(k -> f.status(k).state() == OutboxState.SENT);
  }
}
