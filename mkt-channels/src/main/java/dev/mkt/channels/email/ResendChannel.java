package dev.mkt.channels.email;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mkt.Contact;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Email through Resend's HTTP API: {@code POST /emails} with {@code Authorization: Bearer <key>} and
 * {@code Idempotency-Key: <action key>}, so a retry after a lost response, or a failover retry, never sends
 * twice within Resend's 24-hour idempotency window. Answers:
 *
 * <ul>
 *   <li>200 {@code {"id": ...}}: sent, with Resend's id;</li>
 *   <li>429 ({@code rate_limit_exceeded}, {@code daily_quota_exceeded}), 409 {@code concurrent_idempotent_requests},
 *       5xx, timeouts: retry later, honouring {@code retry-after};</li>
 *   <li>401/403 (missing or invalid API key): retry later, so the breaker opens and the secondary provider takes
 *       over instead of every queued email dying;</li>
 *   <li>other 4xx ({@code validation_error}, {@code invalid_idempotent_request}, ...): failed, with Resend's
 *       {@code name} and {@code message}.</li>
 * </ul>
 */
final class ResendChannel implements Channel {
  static final int MAX_IDEMPOTENCY_KEY = 256;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final EmailComposer composer;
  private final HttpClient http;
  private final URI endpoint;
  private final String apiKey;
  private final Duration timeout;
  private final Clock clock;

  ResendChannel(EmailComposer composer, HttpClient http, URI endpoint, String apiKey, Duration timeout, Clock clock) {
    this.composer = composer;
    this.http = http;
    this.endpoint = endpoint;
    this.apiKey = apiKey;
    this.timeout = timeout;
    this.clock = clock;
  }

  @Override
  public DeliveryResult deliver(Delivery d) {
    EmailMessage m;
    try {
      m = composer.compose(d);
    } catch (EmailFailure e) {
      return DeliveryResult.failed(e.reason());
    }
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(requestBody(m));
    } catch (IOException e) {
      return DeliveryResult.failed("json_error: " + e.getMessage());
    }
    HttpRequest req = HttpRequest.newBuilder(endpoint)
        .timeout(timeout)
        .header("Authorization", "Bearer " + apiKey)
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", idempotencyKey(m.idempotencyKey()))
        .header("User-Agent", "mkt-channels")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    HttpResponse<String> r;
    try {
      r = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      return DeliveryResult.retryLater("resend_unreachable: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return DeliveryResult.retryLater("interrupted");
    }
    return classify(r);
  }

  /** The documented request body of {@code POST /emails}. */
  ObjectNode requestBody(EmailMessage m) {
    ObjectNode n = JSON.createObjectNode();
    n.put("from", m.from().toUnicodeString());
    n.putArray("to").add(m.to().toUnicodeString());
    n.put("subject", m.subject());
    if (m.html() != null) {
      n.put("html", m.html());
    }
    // Resend derives a text part from the HTML when "text" is absent; send ours (or "" to opt out of that).
    n.put("text", m.text() != null ? m.text() : "");
    if (m.replyTo() != null) {
      n.put("reply_to", m.replyTo().toUnicodeString());
    }
    ObjectNode headers = n.putObject("headers");
    headers.put("Message-ID", m.messageId());
    for (Map.Entry<String, String> h : m.headers().entrySet()) {
      headers.put(h.getKey(), h.getValue());
    }
    ArrayNode tags = n.putArray("tags");
    tags.addObject().put("name", "rule").put("value", tagValue(m.rule()));
    tags.addObject().put("name", "template").put("value", tagValue(m.template()));
    return n;
  }

  private DeliveryResult classify(HttpResponse<String> r) {
    int status = r.statusCode();
    Instant now = clock.instant();
    if (status == 200 || status == 201 || status == 202) {
      String id = null;
      try {
        JsonNode n = JSON.readTree(r.body());
        id = n.path("id").isTextual() ? n.path("id").asText() : null;
      } catch (IOException ignored) {
        // accepted anyway; the id is informational
      }
      return DeliveryResult.sent(id);
    }
    String name = "";
    String message = "";
    try {
      JsonNode n = JSON.readTree(r.body());
      name = n.path("name").asText("");
      message = n.path("message").asText("");
    } catch (IOException | RuntimeException ignored) {
      message = r.body() == null ? "" : r.body();
    }
    String reason = "resend " + status + (name.isEmpty() ? "" : " " + name) + (message.isEmpty() ? ""
        : ": " + Redaction.emails(message.length() > 300 ? message.substring(0, 300) : message));
    Optional<Instant> retryAt = RetryAfter.parse(r.headers().firstValue("retry-after"), now);
    if (status == 429 || status >= 500 || status == 401 || status == 403
        || (status == 409 && name.equals("concurrent_idempotent_requests"))) {
      if (status == 409 && retryAt.isEmpty()) {
        retryAt = Optional.of(now.plusSeconds(1));
      }
      return DeliveryResult.retryLater(retryAt.orElse(null), reason);
    }
    return DeliveryResult.failed(reason);
  }

  /** The action key if it fits Resend's 1-256 characters, else its SHA-256 (stable either way). */
  static String idempotencyKey(String key) {
    if (key.length() <= MAX_IDEMPOTENCY_KEY && key.chars().allMatch(c -> c >= 0x21 && c <= 0x7E)) {
      return key;
    }
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Tag values may hold ASCII letters, digits, '_' and '-' only (at most 256). */
  static String tagValue(String v) {
    String s = v.replaceAll("[^A-Za-z0-9_-]", "_");
    return s.length() > 256 ? s.substring(0, 256) : s;
  }

  @Override
  public Optional<String> unreachable(Contact contact) {
    return composer.unreachable(contact);
  }

  @Override
  public List<String> checkTemplates(Set<String> templates) {
    return composer.checkTemplates(templates);
  }

  @Override
  public String toString() {
    return "ResendChannel{" + endpoint + '}';
  }
}
