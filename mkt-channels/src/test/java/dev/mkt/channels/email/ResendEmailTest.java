package dev.mkt.channels.email;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mkt.Action;
import dev.mkt.ActionType;
import dev.mkt.Contact;
import dev.mkt.OutboxEntry;
import dev.mkt.OutboxState;
import dev.mkt.channels.EmailFixture;
import dev.mkt.channels.ResendServer;
import dev.mkt.internal.dispatch.TestRules;
import dev.mkt.spi.Channel;
import dev.mkt.spi.Delivery;
import dev.mkt.spi.DeliveryResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** email.resend against a local server that speaks Resend's documented API (see {@link ResendServer}). */
class ResendEmailTest {
  @TempDir Path dir;
  EmailFixture f;
  ResendServer resend;

  @BeforeEach
  void setUp() throws Exception {
    f = new EmailFixture(dir);
    resend = new ResendServer("re_test_123");
    f.start(new TestRules(), EmailFixture.dispatch().build(), b -> b.channelProperty("email.provider", "resend")
        .channelProperty("email.resend.api-key", "re_test_123")
        .channelProperty("email.resend.base-url", resend.baseUrl()));
    f.identify("u1", Map.of("email", "ada@example.com", "name", "Ada"));
  }

  @AfterEach
  void tearDown() {
    f.close();
    resend.close();
  }

  @Test
  void anEmail_isPostedAsResendDocumentsIt_andRecordedWithResendsId() throws Exception {
    f.track(TestRules.ACTION, "u1", "key", "welcome_sequence:u1:welcome_v1", "template", "welcome_v1",
        "rule", "welcome_sequence");
    f.settle();
    assertThat(resend.sent).hasSize(1);
    JsonNode b = resend.sent.get(0);
    assertThat(b.get("from").asText()).isEqualTo("Acme <hello@mail.acme.test>");
    assertThat(b.get("to").isArray()).isTrue();
    assertThat(b.get("to").get(0).asText()).isEqualTo("Ada <ada@example.com>");
    assertThat(b.get("subject").asText()).isEqualTo("Welcome to Acme, Ada");
    assertThat(b.get("html").asText()).contains("<p>Hi Ada,</p>");
    assertThat(b.get("text").asText()).contains("Hi Ada,");
    assertThat(b.get("headers").get("List-Unsubscribe").asText()).startsWith("<https://app.acme.test/mkt/unsubscribe?token=");
    assertThat(b.get("tags").toString()).isEqualTo(
        "[{\"name\":\"rule\",\"value\":\"welcome_sequence\"},{\"name\":\"template\",\"value\":\"welcome_v1\"}]");
    assertThat(resend.idempotencyKeys).containsExactly("welcome_sequence:u1:welcome_v1");
    OutboxEntry e = f.status("welcome_sequence:u1:welcome_v1");
    assertThat(e.state()).isEqualTo(OutboxState.SENT);
    assertThat(e.providerMessageId()).matches("[0-9a-f-]{36}");
    assertThat(f.received()).isEmpty(); // SMTP was not used
  }

  @Test
  void aRepeatedRequest_withTheSameIdempotencyKey_isNotSentTwice() {
    Channel ch = f.mkt.dispatch().channel("email", Channel.class).orElseThrow();
    Action a = Action.builder().idempotencyKey("k-repeat").rule("r").userId("u1").type(ActionType.SEND_EMAIL)
        .template("welcome_v1").notBefore(f.clock.instant()).build();
    Contact c = new Contact("u1", Map.of("email", "ada@example.com"), null, Map.of(), Map.of());
    DeliveryResult first = ch.deliver(new Delivery(a, c, 1, null, f.clock.instant()));
    DeliveryResult again = ch.deliver(new Delivery(a, c, 2, null, f.clock.instant()));
    assertThat(first.isSent()).isTrue();
    assertThat(again.providerMessageId()).isEqualTo(first.providerMessageId());
    assertThat(resend.sent).hasSize(1);
  }

  @Test
  void a429_isRetriedNoEarlierThanResendsRetryAfter() throws Exception {
    resend.script.add(new Object[] {429, "rate_limit_exceeded",
        "Too many requests. You can only make 2 requests per second.", "120"});
    f.track(TestRules.ACTION, "u1", "key", "k1", "template", "welcome_v1");
    f.settle();
    OutboxEntry e = f.status("k1");
    assertThat(e.state()).isEqualTo(OutboxState.RETRYING);
    assertThat(e.reason()).startsWith("resend 429 rate_limit_exceeded: Too many requests");
    assertThat(e.dueAt()).isEqualTo(f.clock.instant().plusSeconds(120));
    f.clock.advance(Duration.ofSeconds(120));
    f.settle();
    assertThat(f.status("k1").state()).isEqualTo(OutboxState.SENT);
  }

  @Test
  void aValidationError_isADeadLetter_withResendsNameAndMessage() throws Exception {
    resend.script.add(new Object[] {422, "validation_error", "Invalid `to` field.", null});
    f.track(TestRules.ACTION, "u1", "key", "k1", "template", "welcome_v1");
    f.settle();
    assertThat(f.status("k1").state()).isEqualTo(OutboxState.DEAD);
    assertThat(f.status("k1").reason()).isEqualTo("resend 422 validation_error: Invalid `to` field.");
  }

  @Test
  void aRejectedApiKey_isRetried_soTheBreakerCanFailOver() throws Exception {
    resend.script.add(new Object[] {403, "invalid_api_key", "API key is invalid.", null});
    f.track(TestRules.ACTION, "u1", "key", "k1", "template", "welcome_v1");
    f.settle();
    assertThat(f.status("k1").state()).isEqualTo(OutboxState.RETRYING);
    assertThat(f.status("k1").reason()).isEqualTo("resend 403 invalid_api_key: API key is invalid.");
  }

  @Test
  void aServerError_isRetried() throws Exception {
    resend.script.add(new Object[] {500, "internal_server_error", "An unexpected error occurred.", null});
    f.track(TestRules.ACTION, "u1", "key", "k1", "template", "welcome_v1");
    f.settle();
    assertThat(f.status("k1").state()).isEqualTo(OutboxState.RETRYING);
    f.clock.advance(Duration.ofMinutes(1));
    f.settle();
    assertThat(f.status("k1").state()).isEqualTo(OutboxState.SENT);
    assertThat(resend.idempotencyKeys).containsExactly("k1", "k1");
  }

  @Test
  void aKeyLongerThanResendAllows_isHashed_stably() {
    String longKey = "r:" + "x".repeat(300);
    assertThat(ResendChannel.idempotencyKey(longKey)).startsWith("sha256:").hasSize(71)
        .isEqualTo(ResendChannel.idempotencyKey(longKey));
    assertThat(ResendChannel.idempotencyKey("welcome:u1")).isEqualTo("welcome:u1");
    assertThat(ResendChannel.tagValue("churn prevention/v2")).isEqualTo("churn_prevention_v2");
  }
}
