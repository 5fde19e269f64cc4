package dev.mkt.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mkt.Marketing;
import dev.mkt.spring.testapp.TestApplication;
import dev.mkt.OutboxState;
import dev.mkt.StandardWebhooks;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole path over real HTTP and real SMTP: signed events POSTed to the ingest endpoint, the DRL welcome rule,
 * the dispatcher, the SMTP channel, GreenMail; then the one-click unsubscribe link of that email.
 */
// The engine writes into the @TempDir until it closes: close the context before JUnit deletes it.
@DirtiesContext
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EmailEndToEndTest {
  static final String SECRET = StandardWebhooks.newSecret();
  static final GreenMail SMTP = startSmtp();
  @TempDir static Path dir;

  static GreenMail startSmtp() {
    GreenMail g = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    g.start();
    return g;
  }

  @AfterAll
  static void stopSmtp() {
    SMTP.stop();
  }

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    r.add("mkt.data-directory", () -> dir.toString());
    r.add("mkt.fsync", () -> "never");
    r.add("mkt.web.events.secrets[0]", () -> SECRET);
    r.add("mkt.channels.email.from", () -> "Acme <hello@acme.test>");
    r.add("mkt.channels.email.product-url", () -> "https://app.acme.test");
    r.add("mkt.channels.email.smtp.host", () -> "127.0.0.1");
    r.add("mkt.channels.email.smtp.port", () -> SMTP.getSmtp().getPort());
    r.add("mkt.channels.email.smtp.security", () -> "none");
    r.add("mkt.unsubscribe.base-url", () -> "http://127.0.0.1:0"); // replaced by the real port in the test
    r.add("management.endpoints.web.exposure.include", () -> "health,marketing");
  }

  @LocalServerPort int port;
  @Autowired Marketing marketing;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void clean() throws Exception {
    SMTP.purgeEmailFromAllMailboxes();
  }

  HttpResponse<String> post(String webhookId, String body) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    long ts = Instant.now().getEpochSecond();
    String sig = StandardWebhooks.of(List.of(SECRET), Duration.ofMinutes(5), Clock.systemUTC()).sign(webhookId, ts,
        bytes);
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mkt/events"))
        .header("content-type", "application/json").header("webhook-id", webhookId)
        .header("webhook-timestamp", Long.toString(ts)).header("webhook-signature", sig)
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
  }

  void settle() throws InterruptedException {
    assertThat(marketing.awaitProcessed(Duration.ofSeconds(20))).isTrue();
    assertThat(marketing.dispatch().awaitIdle(Duration.ofSeconds(30))).isTrue();
  }

  List<MimeMessage> mailsTo(String address) throws Exception {
    return Arrays.stream(SMTP.getReceivedMessages()).filter(m -> {
      try {
        return ((InternetAddress) m.getAllRecipients()[0]).getAddress().equals(address);
      } catch (Exception e) {
        return false;
      }
    }).toList();
  }

  @Test
  void signedSignup_welcomeEmailArrivesInTheSmtpServer() throws Exception {
    assertThat(post("msg_id1", "{\"type\":\"identify\",\"userId\":\"ada\",\"messageId\":\"id-ada\","
        + "\"traits\":{\"email\":\"ada@example.test\",\"name\":\"Ada\"}}").statusCode()).isEqualTo(202);
    assertThat(post("msg_su1", "{\"id\":\"su-ada\",\"type\":\"signup\",\"userId\":\"ada\","
        + "\"payload\":{\"email_verified\":true}}").statusCode()).isEqualTo(202);
    assertThat(SMTP.waitForIncomingEmail(30_000, 1)).isTrue();
    settle();
    List<MimeMessage> got = mailsTo("ada@example.test");
    assertThat(got).hasSize(1);
    assertThat(got.get(0).getSubject()).contains("Ada");
    assertThat(got.get(0).getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
  }

  @Test
  void sameSegmentPayloadTwice_yieldsOneEmail() throws Exception {
    post("msg_id2", "{\"type\":\"identify\",\"userId\":\"bob\",\"messageId\":\"id-bob\","
        + "\"traits\":{\"email\":\"bob@example.test\"}}");
    String track = "{\"type\":\"track\",\"event\":\"signup\",\"userId\":\"bob\",\"messageId\":\"seg-bob-1\","
        + "\"properties\":{\"email_verified\":true}}";
    assertThat(post("msg_seg_a", track).statusCode()).isEqualTo(202);
    HttpResponse<String> again = post("msg_seg_b", track); // a retry with a new webhook id, same messageId
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.body()).contains("DUPLICATE");
    assertThat(SMTP.waitForIncomingEmail(30_000, 1)).isTrue();
    settle();
    Thread.sleep(300);
    assertThat(mailsTo("bob@example.test")).hasSize(1);
  }

  @Test
  void unverifiedSignup_sendsNothing() throws Exception {
    post("msg_id3", "{\"type\":\"identify\",\"userId\":\"eve\",\"messageId\":\"id-eve\","
        + "\"traits\":{\"email\":\"eve@example.test\"}}");
    post("msg_su3", "{\"id\":\"su-eve\",\"type\":\"signup\",\"userId\":\"eve\",\"payload\":{\"email_verified\":false}}");
    settle();
    assertThat(mailsTo("eve@example.test")).isEmpty();
  }

  @Test
  void oneClickUnsubscribe_fromTheEmailsHeader_unsubscribes() throws Exception {
    post("msg_id4", "{\"type\":\"identify\",\"userId\":\"joe\",\"messageId\":\"id-joe\","
        + "\"traits\":{\"email\":\"joe@example.test\"}}");
    post("msg_su4", "{\"id\":\"su-joe\",\"type\":\"signup\",\"userId\":\"joe\",\"payload\":{\"email_verified\":true}}");
    assertThat(SMTP.waitForIncomingEmail(30_000, 1)).isTrue();
    settle();
    String header = mailsTo("joe@example.test").get(0).getHeader("List-Unsubscribe", null);
    String link = header.substring(header.indexOf('<') + 1, header.indexOf('>'));
    URI uri = URI.create(link.replace("127.0.0.1:0", "127.0.0.1:" + port));

    HttpResponse<String> page = http.send(HttpRequest.newBuilder(uri).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("j***@example.test").contains("<form method=\"post\"");
    assertThat(marketing.contact("joe").unsubscribed("email")).as("a GET never unsubscribes").isFalse();

    HttpResponse<String> oneClick = http.send(HttpRequest.newBuilder(uri)
        .header("content-type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(oneClick.statusCode()).isEqualTo(200);
    assertThat(marketing.contact("joe").unsubscribed("email")).isTrue();
  }

  @Autowired org.springframework.context.ApplicationContext context;

  @Test
  void unsubscribe_withAForgedToken_is400AndChangesNothing() throws Exception {
    assertThat(context.containsBean("mktUnsubscribeRoutes")).isTrue();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/mkt/unsubscribe?token=v1.forged.token"))
        .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("invalid or has expired");
  }

  @Autowired io.micrometer.core.instrument.MeterRegistry meters;
  @Autowired dev.mkt.spring.actuate.MarketingHealthIndicator health;
  @Autowired dev.mkt.spring.actuate.MarketingEndpoint endpoint;

  @Test
  @SuppressWarnings("unchecked")
  void actuator_reportsDeliveriesByChannel_backlogAndBreakers() throws Exception {
    post("msg_id7", "{\"type\":\"identify\",\"userId\":\"kim\",\"messageId\":\"id-kim\","
        + "\"traits\":{\"email\":\"kim@example.test\"}}");
    post("msg_su7", "{\"id\":\"su-kim\",\"type\":\"signup\",\"userId\":\"kim\",\"payload\":{\"email_verified\":true}}");
    assertThat(SMTP.waitForIncomingEmail(30_000, 1)).isTrue();
    settle();
    Thread.sleep(150); // the meters read a snapshot at most 100 ms old
    assertThat(meters.get("mkt.deliveries").tag("channel", "email").tag("outcome", "sent").functionCounter()
        .count()).isGreaterThanOrEqualTo(1);
    assertThat(meters.get("mkt.events").tag("outcome", "accepted").functionCounter().count()).isGreaterThanOrEqualTo(1);
    assertThat(meters.get("mkt.dispatch.backlog").gauge().value()).isZero();
    assertThat(meters.get("mkt.dispatch.breaker.open").tag("provider", "email.smtp").gauge().value()).isZero();

    java.util.Map<String, Object> details = health.health().getDetails();
    assertThat((java.util.Map<String, Object>) details.get("dispatch")).containsKey("breakers")
        .containsEntry("backlog", 0L);
    assertThat(details).containsKeys("log", "dedup", "state", "reactor");
    assertThat(health.health().getStatus().getCode()).isEqualTo("UP");

    assertThat(endpoint.overview()).containsKeys("stats", "rules", "outbox", "breakers", "deadLetters");
    assertThat((java.util.List<?>) endpoint.section("dead-actions")).isEmpty();
    assertThat(endpoint.act("replay", "welcome:kim:nope")).containsEntry("replayed", false);
  }

  @Test
  void sentActions_areRecordedAsSent() throws Exception {
    post("msg_id6", "{\"type\":\"identify\",\"userId\":\"sam\",\"messageId\":\"id-sam\","
        + "\"traits\":{\"email\":\"sam@example.test\"}}");
    post("msg_su6", "{\"id\":\"su-sam\",\"type\":\"signup\",\"userId\":\"sam\",\"payload\":{\"email_verified\":true}}");
    assertThat(SMTP.waitForIncomingEmail(30_000, 1)).isTrue();
    settle();
    assertThat(marketing.dispatch().stats().count(OutboxState.SENT)).isPositive();
  }
}
