package dev.mkt.channels.crm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mkt.Action;
import dev.mkt.ActionType;
import dev.mkt.Contact;
import dev.mkt.StandardWebhooks;
import dev.mkt.channels.Lazy;
import dev.mkt.channels.Redaction;
import dev.mkt.channels.RetryAfter;
import dev.mkt.spi.Channel;
import dev.mkt.spi.Delivery;
import dev.mkt.spi.DeliveryResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

/**
 * CRM actions as signed webhooks: a {@code create_task} (the seed's {@code retention_review}) or
 * {@code update_crm} action is POSTed as JSON to the founder's endpoint (their CRM's inbound webhook, a Zapier or
 * n8n hook, their own backend), signed per Standard Webhooks. {@code webhook-id} is stable per action, so the
 * receiver can drop a redelivery. 2xx is sent; 429/5xx/timeouts and 401/403 (a secret mismatch) are retried
 * (honouring {@code Retry-After}); other 4xx (e.g. 410 Gone, 400) are dead letters.
 *
 * <pre>{@code
 * POST <crm.webhook.url>
 * webhook-id: msg_<sha256(key)[0..32]>   webhook-timestamp: 1741000000   webhook-signature: v1,<base64>
 * {"type": "task.created", "timestamp": "...", "data": {"id": "<key>", "task": "retention_review",
 *   "priority": "high", "rule": "churn_prevention", "userId": "u42", "eventId": "...", "dueAt": "...",
 *   "vars": {...}, "contact": {"userId": "u42", "email": "...", "name": "...", "plan": "pro", "churnScore": 0.91}}}
 * }</pre>
 */
final class CrmWebhookChannel implements Channel {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI url;
  private final StandardWebhooks signer;
  private final Duration timeout;
  /**
   * Built at the first delivery, not when the engine opens: a JDK {@code HttpClient} initialises the default
   * {@code SSLContext} (the CA store) and starts a selector thread, which costs the application's start-up
   * ≈ 0.1–0.3 s for a channel that may not deliver for hours.
   */
  private final Lazy<HttpClient> http;
  private final Clock clock;
  private final boolean includeContact;

  CrmWebhookChannel(URI url, StandardWebhooks signer, Duration timeout, Clock clock, boolean includeContact) {
    this.url = url;
    this.signer = signer;
    this.timeout = timeout;
    this.http = new Lazy<>(() -> HttpClient.newBuilder().connectTimeout(timeout).build());
    this.clock = clock;
    this.includeContact = includeContact;
  }

  @Override
  public DeliveryResult deliver(Delivery d) {
    Action a = d.action();
    Instant now = clock.instant();
    ObjectNode n = JSON.createObjectNode();
    n.put("type", a.type() == ActionType.UPDATE_CRM ? "contact.updated" : "task.created");
    n.put("timestamp", now.toString());
    ObjectNode data = n.putObject("data");
    data.put("id", a.idempotencyKey());
    data.put(a.type() == ActionType.UPDATE_CRM ? "update" : "task", a.template());
    data.put("priority", a.priority().name().toLowerCase(Locale.ROOT));
    data.put("rule", a.rule());
    data.put("userId", a.userId());
    if (a.eventId() != null) {
      data.put("eventId", a.eventId());
    }
    data.put("dueAt", a.notBefore().toString());
    data.set("vars", JSON.valueToTree(a.vars()));
    if (includeContact) {
      Contact c = d.contact();
      ObjectNode cn = data.putObject("contact");
      cn.put("userId", c.userId());
      c.email().ifPresent(e -> cn.put("email", e));
      c.name().ifPresent(e -> cn.put("name", e));
      c.plan().ifPresent(e -> cn.put("plan", e));
      if (c.churnScore() != null) {
        cn.put("churnScore", c.churnScore());
      }
    }
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(n);
    } catch (IOException e) {
      return DeliveryResult.failed("json_error: " + e.getMessage());
    }
    String id = messageId(a.idempotencyKey());
    long ts = now.getEpochSecond();
    HttpRequest req = HttpRequest.newBuilder(url).timeout(timeout)
        .header("Content-Type", "application/json")
        .header(StandardWebhooks.ID_HEADER, id)
        .header(StandardWebhooks.TIMESTAMP_HEADER, Long.toString(ts))
        .header(StandardWebhooks.SIGNATURE_HEADER, signer.sign(id, ts, body))
        .header("User-Agent", "mkt-channels")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    HttpResponse<String> r;
    try {
      r = http.get().send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      return DeliveryResult.retryLater("webhook_unreachable: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return DeliveryResult.retryLater("interrupted");
    }
    int s = r.statusCode();
    if (s >= 200 && s < 300) {
      return DeliveryResult.sent(id);
    }
    String body1 = r.body() == null ? "" : r.body();
    String reason = "webhook " + s + (body1.isBlank() ? "" : ": " + Redaction.emails(body1.length() > 200
        ? body1.substring(0, 200) : body1).strip());
    // 401/403: the receiver refuses our signature or credentials, a configuration problem of the endpoint:
    // retried (and counted by the breaker) so fixing the secret does not require replaying every task.
    if (s == 429 || s >= 500 || s == 408 || s == 401 || s == 403) {
      return DeliveryResult.retryLater(RetryAfter.parse(r.headers().firstValue("retry-after"), now).orElse(null),
          reason);
    }
    return DeliveryResult.failed(reason);
  }

  static String messageId(String key) {
    try {
      return "msg_" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(key.getBytes(StandardCharsets.UTF_8)), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "CrmWebhookChannel{" + url.getHost() + '}';
  }
}
