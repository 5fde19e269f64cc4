package dev.mkt.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A local server that speaks Resend's documented {@code POST /emails} contract (resend.com/docs/api-reference):
 * Bearer API key (401 {@code missing_api_key} / 403 {@code invalid_api_key}), JSON body with {@code from},
 * {@code to} (string or up to 50 strings), {@code subject}, {@code html}/{@code text}, optional {@code cc},
 * {@code bcc}, {@code reply_to}, {@code headers} (object of strings), {@code tags} (array of name/value of ASCII
 * letters, digits, '_' and '-'), {@code scheduled_at}, {@code attachments}; anything else is a 422
 * {@code validation_error}. {@code Idempotency-Key} (1-256 characters, else 400 {@code invalid_idempotency_key}):
 * the same key with the same body answers the first response without sending again, with another body 409
 * {@code invalid_idempotent_request}. Success is 200 {@code {"id": "<uuid>"}}; errors are
 * {@code {"statusCode", "name", "message"}}. A test can script failures (e.g. 429 with {@code retry-after}).
 */
public final class ResendServer implements AutoCloseable {
  static final Set<String> FIELDS = Set.of("from", "to", "subject", "bcc", "cc", "reply_to", "html", "text",
      "headers", "attachments", "tags", "scheduled_at");
  static final Pattern TAG = Pattern.compile("[A-Za-z0-9_-]{1,256}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final String apiKey;
  /** Accepted (sent) emails, in order. */
  public final List<JsonNode> sent = new CopyOnWriteArrayList<>();
  /** Every request's Idempotency-Key, in order (including replays and failures). */
  public final List<String> idempotencyKeys = new CopyOnWriteArrayList<>();
  private final Map<String, String[]> byKey = new ConcurrentHashMap<>(); // key -> {body, id}
  /** Scripted responses: each is consumed by one request ({status, name, message, retryAfter or null}). */
  public final List<Object[]> script = Collections.synchronizedList(new ArrayList<>());
  public volatile Function<JsonNode, Object[]> rule = body -> null;

  public ResendServer(String apiKey) throws IOException {
    this.apiKey = apiKey;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/emails", this::handle);
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      if (!ex.getRequestMethod().equals("POST")) {
        error(ex, 405, "method_not_allowed", "Method is not allowed for the requested path.");
        return;
      }
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      if (auth == null || !auth.startsWith("Bearer ")) {
        error(ex, 401, "missing_api_key", "Missing API key in the authorization header.");
        return;
      }
      if (!auth.substring(7).equals(apiKey)) {
        error(ex, 403, "invalid_api_key", "API key is invalid.");
        return;
      }
      String ct = ex.getRequestHeaders().getFirst("Content-Type");
      if (ct == null || !ct.startsWith("application/json")) {
        error(ex, 422, "validation_error", "Content-Type must be application/json.");
        return;
      }
      String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
      idempotencyKeys.add(String.valueOf(key));
      if (key != null && (key.isEmpty() || key.length() > 256)) {
        error(ex, 400, "invalid_idempotency_key", "The key must be between 1-256 chars.");
        return;
      }
      byte[] raw = ex.getRequestBody().readAllBytes();
      JsonNode body;
      try {
        body = JSON.readTree(raw);
      } catch (IOException e) {
        error(ex, 422, "validation_error", "Invalid JSON body.");
        return;
      }
      String invalid = validate(body);
      if (invalid != null) {
        error(ex, 422, "validation_error", invalid);
        return;
      }
      Object[] scripted = null;
      synchronized (script) {
        if (!script.isEmpty()) {
          scripted = script.remove(0);
        }
      }
      if (scripted == null) {
        scripted = rule.apply(body);
      }
      if (scripted != null) {
        if (scripted[3] != null) {
          ex.getResponseHeaders().set("retry-after", scripted[3].toString());
        }
        error(ex, (Integer) scripted[0], (String) scripted[1], (String) scripted[2]);
        return;
      }
      String canonical = JSON.writeValueAsString(body);
      String id;
      if (key != null) {
        String[] prev = byKey.get(key);
        if (prev != null) {
          if (!prev[0].equals(canonical)) {
            error(ex, 409, "invalid_idempotent_request",
                "Same idempotency key used with a different request payload. Change your idempotency key or payload.");
            return;
          }
          ok(ex, prev[1]); // replay: same response, no second email
          return;
        }
        id = UUID.randomUUID().toString();
        byKey.put(key, new String[] {canonical, id});
      } else {
        id = UUID.randomUUID().toString();
      }
      sent.add(body);
      ok(ex, id);
    } finally {
      ex.close();
    }
  }

  static String validate(JsonNode b) {
    if (!b.isObject()) {
      return "The request body must be a JSON object.";
    }
    for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        return "Unknown field `" + f + "`.";
      }
    }
    for (String req : List.of("from", "to", "subject")) {
      if (!b.hasNonNull(req)) {
        return "Missing `" + req + "` field.";
      }
    }
    if (!b.get("from").isTextual() || !b.get("subject").isTextual()) {
      return "`from` and `subject` must be strings.";
    }
    JsonNode to = b.get("to");
    if (!(to.isTextual() || (to.isArray() && to.size() >= 1 && to.size() <= 50))) {
      return "`to` must be a string or an array of 1 to 50 strings.";
    }
    if (!b.hasNonNull("html") && !b.hasNonNull("text")) {
      return "Missing `html` or `text` field.";
    }
    for (String s : List.of("html", "text")) {
      if (b.has(s) && !b.get(s).isTextual()) {
        return "`" + s + "` must be a string.";
      }
    }
    JsonNode rt = b.get("reply_to");
    if (rt != null && !rt.isTextual() && !rt.isArray()) {
      return "`reply_to` must be a string or an array of strings.";
    }
    JsonNode h = b.get("headers");
    if (h != null) {
      if (!h.isObject()) {
        return "`headers` must be an object.";
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isTextual() || e.getValue().asText().contains("\n") || e.getValue().asText().contains("\r")) {
          return "Header `" + e.getKey() + "` must be a single-line string.";
        }
      }
    }
    JsonNode tags = b.get("tags");
    if (tags != null) {
      if (!tags.isArray()) {
        return "`tags` must be an array.";
      }
      for (JsonNode t : tags) {
        if (!t.path("name").isTextual() || !TAG.matcher(t.path("name").asText()).matches()
            || !t.path("value").isTextual() || !TAG.matcher(t.path("value").asText()).matches()) {
          return "Tags should only contain ASCII letters, numbers, underscores, or dashes.";
        }
      }
    }
    return null;
  }

  private static void ok(HttpExchange ex, String id) throws IOException {
    byte[] b = ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.getResponseHeaders().set("ratelimit-limit", "2");
    ex.getResponseHeaders().set("ratelimit-remaining", "1");
    ex.getResponseHeaders().set("ratelimit-reset", "1");
    ex.sendResponseHeaders(200, b.length);
    ex.getResponseBody().write(b);
  }

  private static void error(HttpExchange ex, int status, String name, String message) throws IOException {
    byte[] b = JSON.writeValueAsBytes(Map.of("statusCode", status, "name", name, "message", message));
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
