package dev.mkt.spring.web;

import dev.mkt.StandardWebhooks;
import dev.mkt.WebhookSignatureException;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mkt.InvalidEventException;
import dev.mkt.InvalidTraitException;
import dev.mkt.Marketing;
import dev.mkt.MarketingEvent;
import dev.mkt.MarketingException;
import dev.mkt.RejectReason;
import dev.mkt.TrackResult;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event ingest endpoint's logic, independent of the web framework: verify the Standard Webhooks signature,
 * recognise the format, map it onto {@link MarketingEvent}s and {@link Marketing#identify} calls, track them,
 * and answer.
 *
 * <p>Formats, recognised in this order:
 * <ol>
 *   <li>CloudEvents 1.0 binary mode: a {@code ce-specversion} header; the body is the event's data.</li>
 *   <li>CloudEvents structured mode: content type {@code application/cloudevents+json}
 *       ({@code application/cloudevents-batch+json} for a batch).</li>
 *   <li>Segment Tracking API: a JSON object with a {@code batch} array, or whose {@code type} is a Segment call
 *       ({@code track}, {@code identify}, {@code page}, {@code screen}, ...) and that has Segment fields
 *       ({@code messageId}, {@code event}, {@code properties}, {@code traits}, {@code anonymousId}).</li>
 *   <li>mkt's own {@link MarketingEvent} JSON, one object or an array of them.</li>
 * </ol>
 *
 * <p>Answers: 202 with the track result (accepted), 200 for a duplicate (also for a {@code webhook-id} already
 * accepted), 400 with a typed error body, 401 for a missing, bad or stale signature, 413 for an oversized body
 * or payload, 415 for CloudEvent data that is not JSON, 503 when the event log cannot take the event (retry).
 * A batch is answered 202 if any item was accepted, 200 if all were duplicates, else with the status of its
 * first rejected item; the body lists every item's result in order.
 *
 * <p>An event without an id of its own (mkt JSON without {@code id}, Segment without {@code messageId}) takes
 * the {@code webhook-id} as its id (suffixed {@code :<index>} in a batch), so a sender's retries deduplicate.
 */
public final class EventIngest {
  private static final Logger log = LoggerFactory.getLogger(EventIngest.class);

  /** The request, as the web layer sees it. */
  public interface Request {
    /** The first value of a header (case-insensitive), or {@code null}. */
    String header(String name);

    /** Every header, name and value. */
    void forEachHeader(BiConsumer<String, String> consumer);

    /** The raw body. */
    byte[] body();
  }

  /**
   * The answer.
   *
   * @param status HTTP status
   * @param json UTF-8 JSON body
   */
  public record Response(int status, byte[] json) {}

  private static final java.util.Set<String> SEGMENT_CALLS =
      java.util.Set.of("track", "identify", "page", "screen", "group", "alias");

  private final Marketing marketing;
  private final StandardWebhooks verifier;
  private final IngestOptions options;
  private final ObjectMapper mapper = new ObjectMapper();
  private final SegmentCalls segment;
  private final Cache<String, Boolean> acceptedWebhookIds;

  /**
   * @param verifier the signature verifier, or {@code null} to accept unsigned requests
   */
  public EventIngest(Marketing marketing, StandardWebhooks verifier, IngestOptions options) {
    this.marketing = requireNonNull(marketing, "marketing");
    this.verifier = verifier;
    this.options = requireNonNull(options, "options");
    this.segment = new SegmentCalls(mapper, options);
    // A webhook-id seen within twice the tolerance is a retry or a replay: answered as a duplicate. This also
    // stops a replay that edits the unsigned ce-* headers of a binary-mode CloudEvent.
    java.time.Duration remember = verifier == null ? java.time.Duration.ofMinutes(10)
        : verifier.tolerance().multipliedBy(2);
    this.acceptedWebhookIds = Caffeine.newBuilder().maximumSize(200_000).expireAfterWrite(remember).build();
  }

  /** Whether requests must be signed. */
  public boolean verifiesSignatures() {
    return verifier != null;
  }

  /** Handles one request. Never throws for bad input. */
  public Response ingest(Request request) {
    byte[] body = request.body();
    if (body.length > options.maxBodyBytes()) {
      return error(413, "payload_too_large", null, "body must be at most " + options.maxBodyBytes()
          + " bytes, but was " + body.length);
    }
    String webhookId = request.header(StandardWebhooks.ID_HEADER);
    if (verifier != null) {
      try {
        verifier.verify(webhookId, request.header(StandardWebhooks.TIMESTAMP_HEADER),
            request.header(StandardWebhooks.SIGNATURE_HEADER), body);
      } catch (WebhookSignatureException e) {
        log.debug("ingest: signature rejected: {} {}", e.reason(), e.getMessage());
        return error(401, "invalid_signature", e.reason().name(), e.getMessage());
      }
    }
    if (webhookId != null && acceptedWebhookIds.getIfPresent(webhookId) != null) {
      ObjectNode n = mapper.createObjectNode();
      n.put("status", "DUPLICATE");
      n.put("webhookId", webhookId);
      return new Response(200, bytes(n));
    }
    Response response;
    try {
      response = execute(parse(request, body, webhookId));
    } catch (IngestException e) {
      response = error(e.status, e.code, e.reason, e.getMessage());
    }
    if (webhookId != null && (response.status() == 202 || response.status() == 200)) {
      acceptedWebhookIds.put(webhookId, Boolean.TRUE);
    }
    return response;
  }

  // ------------------------------------------------------------------ parsing

  private List<Call> parse(Request request, byte[] body, String webhookId) {
    String contentType = lower(request.header("content-type"));
    if (request.header("ce-specversion") != null) {
      return List.of(fromCloudEvent(readCloudEvent(request, body)));
    }
    if (contentType.startsWith("application/cloudevents-batch+json")) {
      JsonNode root = tree(body);
      if (!root.isArray()) {
        throw new IngestException(400, "invalid_cloudevent", null, "a CloudEvents batch must be a JSON array");
      }
      EventFormat format = jsonFormat();
      List<Call> calls = new ArrayList<>();
      for (JsonNode element : root) {
        try {
          calls.add(fromCloudEvent(format.deserialize(mapper.writeValueAsBytes(element))));
        } catch (IngestException e) {
          calls.add(new Call.Failed(e.status, e.code, e.reason, e.getMessage(), null));
        } catch (RuntimeException | JsonProcessingException e) { // the SDK's parse failures are unchecked
          calls.add(new Call.Failed(400, "invalid_cloudevent", null, message(rootCause(e)), null));
        }
      }
      return calls;
    }
    if (contentType.startsWith("application/cloudevents")) {
      return List.of(fromCloudEvent(readCloudEvent(request, body)));
    }
    JsonNode root = tree(body);
    if (root.isObject() && isSegment((ObjectNode) root)) {
      return segment.calls((ObjectNode) root, webhookId);
    }
    if (root.isArray()) {
      List<Call> calls = new ArrayList<>();
      int i = 0;
      for (JsonNode element : root) {
        calls.add(mktEvent(element, webhookId == null ? null : webhookId + ":" + i));
        i++;
      }
      if (calls.isEmpty()) {
        throw new IngestException(400, "invalid_json", null, "the array of events is empty");
      }
      return calls;
    }
    return List.of(mktEvent(root, webhookId));
  }

  private static boolean isSegment(ObjectNode root) {
    if (root.path("batch").isArray()) {
      return true;
    }
    JsonNode type = root.get("type");
    return type != null && type.isTextual() && SEGMENT_CALLS.contains(type.asText())
        && (root.has("messageId") || root.has("event") || root.has("properties") || root.has("traits")
            || root.has("anonymousId"));
  }

  private Call mktEvent(JsonNode node, String fallbackId) {
    if (!node.isObject()) {
      return new Call.Failed(400, "invalid_event", RejectReason.INVALID_JSON.name(),
          "an event must be a JSON object, but was " + node.getNodeType().name().toLowerCase(Locale.ROOT), null);
    }
    try {
      MarketingEvent e = MarketingEvent.fromJson(mapper.writeValueAsBytes(node));
      if (!node.hasNonNull("id") && fallbackId != null) {
        e = e.toBuilder().id(fallbackId).build();
      }
      return new Call.Track(e);
    } catch (InvalidEventException ex) {
      return new Call.Failed(400, "invalid_event", ex.reason().name(), ex.getMessage(),
          node.path("id").isTextual() ? node.path("id").asText() : null);
    } catch (JsonProcessingException ex) {
      return new Call.Failed(400, "invalid_json", null, message(ex), null);
    }
  }

  private CloudEvent readCloudEvent(Request request, byte[] body) {
    try {
      return HttpMessageFactory.createReader(request::forEachHeader, body).toEvent();
    } catch (RuntimeException e) { // CloudEventRWException, EventDeserializationException, ...
      throw new IngestException(400, "invalid_cloudevent", null, message(rootCause(e)));
    }
  }

  private static EventFormat jsonFormat() {
    EventFormat format = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);
    return format != null ? format : new JsonFormat();
  }

  private Call fromCloudEvent(CloudEvent ce) {
    String dataType = lower(ce.getDataContentType());
    Map<String, Object> payload = Map.of();
    String userIdFromData = null;
    String sessionIdFromData = null;
    if (ce.getData() != null) {
      if (!dataType.isEmpty() && !dataType.startsWith("application/json") && !dataType.contains("+json")
          && !dataType.startsWith("text/json")) {
        return new Call.Failed(415, "unsupported_media_type", null, "CloudEvent data must be JSON, but "
            + "datacontenttype was '" + ce.getDataContentType() + "'", ce.getId());
      }
      JsonNode data;
      try {
        data = mapper.readTree(ce.getData().toBytes());
      } catch (IOException e) {
        return new Call.Failed(400, "invalid_cloudevent", null, "CloudEvent data is not valid JSON: "
            + message(e), ce.getId());
      }
      if (data != null && !data.isNull() && !data.isMissingNode()) {
        if (!data.isObject()) {
          return new Call.Failed(400, "invalid_cloudevent", null, "CloudEvent data must be a JSON object, but was "
              + data.getNodeType().name().toLowerCase(Locale.ROOT), ce.getId());
        }
        payload = toMap(data);
        userIdFromData = text(data, "userId", "user_id");
        sessionIdFromData = text(data, "sessionId", "session_id");
      }
    }
    String userId = extension(ce, "userid");
    if (userId == null) {
      userId = ce.getSubject() != null ? ce.getSubject() : userIdFromData;
    }
    String sessionId = extension(ce, "sessionid");
    MarketingEvent.Builder b = MarketingEvent.builder(cloudEventType(ce.getType()), userId)
        .id(ce.getId())
        .sessionId(sessionId != null ? sessionId : sessionIdFromData)
        .payload(payload);
    if (ce.getTime() != null) {
      b.timestamp(ce.getTime().toInstant());
    }
    return new Call.Track(b.build());
  }

  private String cloudEventType(String type) {
    String mapped = options.cloudEventTypes().get(type);
    if (mapped != null) {
      return mapped;
    }
    String prefix = options.cloudEventTypePrefix();
    if (prefix != null && !prefix.isEmpty() && type.startsWith(prefix) && type.length() > prefix.length()) {
      return type.substring(prefix.length());
    }
    return type;
  }

  private static String extension(CloudEvent ce, String name) {
    Object v = ce.getExtension(name);
    return v == null ? null : v.toString();
  }

  static String text(JsonNode node, String... fields) {
    for (String f : fields) {
      JsonNode v = node.get(f);
      if (v != null && (v.isTextual() || v.isNumber())) {
        return v.asText();
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> toMap(JsonNode node) {
    return mapper.convertValue(node, Map.class);
  }

  private JsonNode tree(byte[] body) {
    try {
      JsonNode root = mapper.readTree(body);
      if (root == null || root.isMissingNode()) {
        throw new IngestException(400, "invalid_json", null, "the body is empty");
      }
      return root;
    } catch (IOException e) {
      throw new IngestException(400, "invalid_json", null, "the body is not valid JSON: " + message(e));
    }
  }

  // ------------------------------------------------------------------ executing

  private Response execute(List<Call> calls) {
    ArrayNode results = mapper.createArrayNode();
    int[] statuses = new int[calls.size()];
    int i = 0;
    while (i < calls.size()) {
      Call call = calls.get(i);
      if (call instanceof Call.Track) {
        int j = i;
        List<MarketingEvent> events = new ArrayList<>();
        while (j < calls.size() && calls.get(j) instanceof Call.Track) {
          events.add(((Call.Track) calls.get(j)).event());
          j++;
        }
        List<TrackResult> tracked = events.size() == 1 ? List.of(marketing.trackMarketingEvent(events.get(0)))
            : marketing.trackAll(events);
        for (TrackResult r : tracked) {
          statuses[results.size()] = status(r);
          results.add(json(r));
        }
        i = j;
        continue;
      }
      if (call instanceof Call.Identify) {
        Call.Identify id = (Call.Identify) call;
        ObjectNode n = mapper.createObjectNode();
        try {
          marketing.identify(id.userId(), id.traits());
          n.put("status", "ACCEPTED");
          n.put("call", "identify");
          n.put("userId", id.userId());
          statuses[results.size()] = 202;
        } catch (InvalidTraitException e) {
          n.put("status", "REJECTED");
          n.put("call", "identify");
          n.put("error", "invalid_trait");
          n.put("reason", e.reason().name());
          n.put("trait", e.trait());
          n.put("message", e.getMessage());
          statuses[results.size()] = 400;
        } catch (IllegalArgumentException e) {
          n.put("status", "REJECTED");
          n.put("call", "identify");
          n.put("error", "invalid_event");
          n.put("reason", RejectReason.MISSING_USER_ID.name());
          n.put("message", e.getMessage());
          statuses[results.size()] = 400;
        } catch (MarketingException e) {
          n.put("status", "REJECTED");
          n.put("call", "identify");
          n.put("error", "log_unavailable");
          n.put("message", e.getMessage());
          statuses[results.size()] = 503;
        }
        results.add(n);
      } else {
        Call.Failed f = (Call.Failed) call;
        ObjectNode n = mapper.createObjectNode();
        n.put("status", "REJECTED");
        if (f.eventId() != null) {
          n.put("eventId", f.eventId());
        }
        n.put("error", f.code());
        if (f.reason() != null) {
          n.put("reason", f.reason());
        }
        n.put("message", f.message());
        statuses[results.size()] = f.status();
        results.add(n);
      }
      i++;
    }
    if (results.size() == 1) {
      return new Response(statuses[0], bytes(results.get(0)));
    }
    int accepted = 0;
    int duplicates = 0;
    int firstRejected = 0;
    for (int s : statuses) {
      if (s == 202) {
        accepted++;
      } else if (s == 200) {
        duplicates++;
      } else if (firstRejected == 0) {
        firstRejected = s;
      }
    }
    ObjectNode n = mapper.createObjectNode();
    n.put("accepted", accepted);
    n.put("duplicates", duplicates);
    n.put("rejected", statuses.length - accepted - duplicates);
    n.set("results", results);
    int status = accepted > 0 ? 202 : firstRejected == 0 ? 200 : firstRejected;
    return new Response(status, bytes(n));
  }

  private static int status(TrackResult r) {
    switch (r.status()) {
      case ACCEPTED:
        return 202;
      case DUPLICATE:
        return 200;
      default:
        RejectReason reason = r.reason().orElse(RejectReason.INVALID_JSON);
        if (reason == RejectReason.LOG_UNAVAILABLE) {
          return 503;
        }
        return reason == RejectReason.PAYLOAD_TOO_LARGE ? 413 : 400;
    }
  }

  private ObjectNode json(TrackResult r) {
    ObjectNode n = mapper.createObjectNode();
    n.put("status", r.status().name());
    if (r.eventId() != null) {
      n.put("eventId", r.eventId());
    }
    if (r.isAccepted()) {
      n.put("position", r.position());
    }
    if (r.isRejected()) {
      RejectReason reason = r.reason().orElse(RejectReason.INVALID_JSON);
      n.put("error", reason == RejectReason.LOG_UNAVAILABLE ? "log_unavailable" : "invalid_event");
      n.put("reason", reason.name());
      n.put("message", r.message().orElse(""));
    }
    return n;
  }

  private Response error(int status, String code, String reason, String message) {
    ObjectNode n = mapper.createObjectNode();
    n.put("status", "REJECTED");
    n.put("error", code);
    if (reason != null) {
      n.put("reason", reason);
    }
    n.put("message", message);
    return new Response(status, bytes(n));
  }

  private byte[] bytes(JsonNode n) {
    try {
      return mapper.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String lower(String s) {
    return s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    if (m == null) {
      return e.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    return nl > 0 ? m.substring(0, nl) : m;
  }

  /** A request-level failure. */
  static final class IngestException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;
    final String reason;

    IngestException(int status, String code, String reason, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
      this.reason = reason;
    }
  }

  /** One thing a request asks for. */
  interface Call {
    /** Track an event. */
    record Track(MarketingEvent event) implements Call {}

    /** Set traits. */
    record Identify(String userId, Map<String, Object> traits) implements Call {}

    /** An item that could not be mapped. */
    record Failed(int status, String code, String reason, String message, String eventId) implements Call {}
  }
}
