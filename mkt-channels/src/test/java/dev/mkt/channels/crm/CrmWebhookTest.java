package dev.mkt.channels.crm;

import dev.mkt.StandardWebhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.mkt.DispatchConfig;
import dev.mkt.Marketing;
import dev.mkt.MarketingEvent;
import dev.mkt.OutboxEntry;
import dev.mkt.OutboxState;
import dev.mkt.test.MutableClock;
import dev.mkt.internal.dispatch.TestRules;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's {@code retention_review} task as a signed webhook, received by a local server that verifies it the
 * way the Standard Webhooks specification tells receivers to (written here independently of the signer).
 */
class CrmWebhookTest {
  static final byte[] KEY = "crm-webhook-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(KEY);

  @TempDir Path dir;
  final MutableClock clock = MutableClock.at("2025-03-03T12:00:00Z");
  HttpServer server;
  final List<JsonNode> received = new CopyOnWriteArrayList<>();
  final List<String> ids = new CopyOnWriteArrayList<>();
  final List<Integer> script = Collections.synchronizedList(new ArrayList<>());
  Marketing mkt;

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hooks/mkt", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      String id = ex.getRequestHeaders().getFirst("webhook-id");
      String ts = ex.getRequestHeaders().getFirst("webhook-timestamp");
      String sig = ex.getRequestHeaders().getFirst("webhook-signature");
      int status;
      if (id == null || ts == null || sig == null || !verify(id, ts, body, sig)
          || Math.abs(Long.parseLong(ts) - clock.instant().getEpochSecond()) > 300) {
        status = 401;
      } else {
        synchronized (script) {
          status = script.isEmpty() ? 204 : script.remove(0);
        }
        ids.add(id);
        if (status / 100 == 2) {
          received.add(new ObjectMapper().readTree(body));
        }
      }
      ex.sendResponseHeaders(status, -1);
      ex.close();
    });
    server.start();
  }

  /** Standard Webhooks: HMAC-SHA256(key, id.timestamp.body), base64, "v1," prefix; several may be listed. */
  static boolean verify(String id, String ts, byte[] body, String header) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
      byte[] expected = mac.doFinal((id + "." + ts + "." + new String(body, StandardCharsets.UTF_8))
          .getBytes(StandardCharsets.UTF_8));
      for (String s : header.split(" ")) {
        if (s.startsWith("v1,") && MessageDigest.isEqual(Base64.getDecoder().decode(s.substring(3)), expected)) {
          return true;
        }
      }
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  @AfterEach
  void stop() {
    if (mkt != null) {
      mkt.close();
    }
    server.stop(0);
  }

  private void start(String secret) {
    mkt = Marketing.builder().dataDirectory(dir).clock(clock).ruleEngine(new TestRules())
        .dispatch(DispatchConfig.custom().pollInterval(Duration.ofMillis(5)).build())
        .channelProperty("crm.webhook.url", "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/mkt")
        .channelProperty("crm.webhook.secret", secret).build();
  }

  private OutboxEntry task(String user) throws InterruptedException {
    mkt.identify(user, Map.of("email", "ada@example.com", "plan", "pro"));
    mkt.track(MarketingEvent.builder(TestRules.ACTION, user).id("churn-" + user).timestamp(clock.instant())
        .put("key", "churn_prevention:" + user + ":retention_review").put("channel", "crm")
        .put("template", "retention_review").put("priority", "high").put("rule", "churn_prevention").build());
    assertThat(mkt.awaitProcessed(Duration.ofSeconds(10))).isTrue();
    assertThat(mkt.dispatch().awaitIdle(Duration.ofSeconds(10))).isTrue();
    return mkt.dispatch().status("churn_prevention:" + user + ":retention_review").orElseThrow();
  }

  @Test
  void aRetentionReviewTask_isPostedSigned_withTheTaskAndTheContact() throws Exception {
    start(SECRET);
    OutboxEntry e = task("u42");
    assertThat(e.state()).isEqualTo(OutboxState.SENT);
    assertThat(received).hasSize(1);
    JsonNode n = received.get(0);
    assertThat(n.get("type").asText()).isEqualTo("task.created");
    JsonNode data = n.get("data");
    assertThat(data.get("task").asText()).isEqualTo("retention_review");
    assertThat(data.get("priority").asText()).isEqualTo("high");
    assertThat(data.get("rule").asText()).isEqualTo("churn_prevention");
    assertThat(data.get("userId").asText()).isEqualTo("u42");
    assertThat(data.get("contact").get("email").asText()).isEqualTo("ada@example.com");
    assertThat(data.get("contact").get("plan").asText()).isEqualTo("pro");
    assertThat(e.providerMessageId()).isEqualTo(ids.get(0)).startsWith("msg_");
  }

  @Test
  void aServerError_isRetried_withTheSameWebhookId() throws Exception {
    start(SECRET);
    script.add(503);
    assertThat(task("u1").state()).isEqualTo(OutboxState.RETRYING);
    clock.advance(Duration.ofMinutes(1));
    assertThat(mkt.dispatch().awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(mkt.dispatch().status("churn_prevention:u1:retention_review").orElseThrow().state())
        .isEqualTo(OutboxState.SENT);
    assertThat(ids).hasSize(2);
    assertThat(ids.get(0)).isEqualTo(ids.get(1));
  }

  @Test
  void aWrongSecret_isRefusedByTheReceiver_andRetriedUntilFixed() throws Exception {
    start(StandardWebhooks.newSecret()); // another valid secret than the receiver checks
    OutboxEntry e = task("u1");
    assertThat(e.state()).isEqualTo(OutboxState.RETRYING);
    assertThat(e.reason()).isEqualTo("webhook 401");
    assertThat(received).isEmpty();
  }

  @Test
  void aGoneEndpoint_deadLettersTheTask() throws Exception {
    start(SECRET);
    script.add(410);
    OutboxEntry e = task("u1");
    assertThat(e.state()).isEqualTo(OutboxState.DEAD);
    assertThat(e.reason()).isEqualTo("webhook 410");
  }
}
