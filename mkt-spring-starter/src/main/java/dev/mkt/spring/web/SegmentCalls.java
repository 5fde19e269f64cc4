package dev.mkt.spring.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mkt.MarketingEvent;
import dev.mkt.RejectReason;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps Segment Tracking API calls onto mkt.
 *
 * <ul>
 *   <li>{@code track}: an event whose type is the {@code event} name (mapped, or in snake_case), whose payload is
 *       {@code properties}, and whose id is {@code messageId} (so the dedup key is Segment's messageId).</li>
 *   <li>{@code page} / {@code screen}: an event of type {@code page_view} / {@code screen_view}; the payload is
 *       {@code properties} plus {@code name} and {@code category}.</li>
 *   <li>{@code identify}: {@link dev.mkt.Marketing#identify} with {@code traits}; {@code context.timezone} and
 *       {@code context.locale} fill the {@code timezone} and {@code locale} traits when the traits lack them.</li>
 *   <li>{@code batch}: each call in order; the batch's {@code context} applies to every call.</li>
 *   <li>{@code group} and {@code alias} are answered {@code unsupported_call}.</li>
 * </ul>
 * The user is {@code userId}, or {@code anonymousId} when there is none. The time is {@code timestamp}, else
 * {@code originalTimestamp}; {@code sessionId} comes from {@code properties.session_id}/{@code sessionId} or
 * {@code context.sessionId}.
 */
final class SegmentCalls {
  private final ObjectMapper mapper;
  private final IngestOptions options;

  SegmentCalls(ObjectMapper mapper, IngestOptions options) {
    this.mapper = mapper;
    this.options = options;
  }

  List<EventIngest.Call> calls(ObjectNode root, String webhookId) {
    JsonNode batch = root.get("batch");
    if (batch == null || !batch.isArray()) {
      return List.of(call(root, root.path("context"), webhookId));
    }
    if (batch.isEmpty()) {
      throw new EventIngest.IngestException(400, "invalid_json", null, "the Segment batch is empty");
    }
    List<EventIngest.Call> calls = new ArrayList<>();
    int i = 0;
    for (JsonNode item : batch) {
      calls.add(call(item, root.path("context"), webhookId == null ? null : webhookId + ":" + i));
      i++;
    }
    return calls;
  }

  private EventIngest.Call call(JsonNode node, JsonNode batchContext, String fallbackId) {
    String messageId = EventIngest.text(node, "messageId");
    if (!node.isObject()) {
      return failed("invalid_event", RejectReason.INVALID_JSON.name(), "a Segment call must be a JSON object",
          null);
    }
    String type = EventIngest.text(node, "type");
    if (type == null) {
      return failed("invalid_event", RejectReason.MISSING_TYPE.name(), "a Segment call needs a 'type'", messageId);
    }
    String userId = EventIngest.text(node, "userId");
    if (userId == null || userId.isBlank()) {
      userId = EventIngest.text(node, "anonymousId");
    }
    JsonNode context = node.has("context") ? node.get("context") : batchContext;
    switch (type) {
      case "identify":
        if (userId == null || userId.isBlank()) {
          return failed("invalid_event", RejectReason.MISSING_USER_ID.name(),
              "a Segment identify call needs a userId or an anonymousId", messageId);
        }
        Map<String, Object> traits = node.path("traits").isObject() ? toMap(node.get("traits"))
            : new LinkedHashMap<>();
        fill(traits, "timezone", context.path("timezone"));
        fill(traits, "locale", context.path("locale"));
        return new EventIngest.Call.Identify(userId, traits);
      case "track":
      case "page":
      case "screen":
        return track(type, node, context, userId, messageId != null ? messageId : fallbackId);
      default:
        return failed("unsupported_call", null, "Segment '" + type + "' calls are not supported; mkt takes track, "
            + "identify, page, screen and batch", messageId);
    }
  }

  private EventIngest.Call track(String call, JsonNode node, JsonNode context, String userId, String id) {
    String mktType;
    Map<String, Object> payload = node.path("properties").isObject() ? toMap(node.get("properties"))
        : new LinkedHashMap<>();
    if (call.equals("track")) {
      String event = EventIngest.text(node, "event");
      if (event == null || event.isBlank()) {
        return failed("invalid_event", RejectReason.MISSING_TYPE.name(), "a Segment track call needs an 'event'",
            id);
      }
      mktType = eventType(event);
    } else {
      mktType = call.equals("page") ? options.segmentPageType() : options.segmentScreenType();
      String name = EventIngest.text(node, "name");
      if (name != null) {
        payload.putIfAbsent("name", name);
      }
      String category = EventIngest.text(node, "category");
      if (category != null) {
        payload.putIfAbsent("category", category);
      }
    }
    String sessionId = EventIngest.text(node.path("properties"), "session_id", "sessionId");
    if (sessionId == null) {
      sessionId = EventIngest.text(context, "sessionId", "session_id");
    }
    MarketingEvent.Builder b = MarketingEvent.builder(mktType, userId).id(id).sessionId(sessionId)
        .payload(payload);
    String ts = EventIngest.text(node, "timestamp");
    if (ts == null) {
      ts = EventIngest.text(node, "originalTimestamp");
    }
    if (ts != null) {
      try {
        b.timestamp(parseTime(ts));
      } catch (DateTimeParseException e) {
        return failed("invalid_event", RejectReason.INVALID_JSON.name(), "timestamp must be ISO-8601 like "
            + "2024-05-01T12:00:00Z, but was '" + (ts.length() > 40 ? ts.substring(0, 40) + "..." : ts) + "'", id);
      }
    }
    return new EventIngest.Call.Track(b.build());
  }

  private String eventType(String event) {
    String mapped = options.segmentEventTypes().get(event);
    if (mapped != null) {
      return mapped;
    }
    return options.segmentSnakeCase() ? snakeCase(event) : event;
  }

  /** {@code "Signed Up"} and {@code "signedUp"} become {@code signed_up}. */
  static String snakeCase(String name) {
    StringBuilder sb = new StringBuilder(name.length() + 4);
    char prev = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        if (Character.isUpperCase(c) && (Character.isLowerCase(prev) || Character.isDigit(prev))) {
          sb.append('_');
        }
        sb.append(Character.toLowerCase(c));
      } else if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '_') {
        sb.append('_');
      }
      prev = c;
    }
    while (sb.length() > 0 && sb.charAt(sb.length() - 1) == '_') {
      sb.setLength(sb.length() - 1);
    }
    String s = sb.toString().toLowerCase(Locale.ROOT);
    return s.isEmpty() ? name : s;
  }

  private static Instant parseTime(String ts) {
    try {
      return OffsetDateTime.parse(ts).toInstant();
    } catch (DateTimeParseException e) {
      return Instant.parse(ts);
    }
  }

  private static void fill(Map<String, Object> traits, String name, JsonNode value) {
    if (!traits.containsKey(name) && value.isTextual() && !value.asText().isBlank()) {
      traits.put(name, value.asText());
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> toMap(JsonNode node) {
    return new LinkedHashMap<>(mapper.convertValue(node, Map.class));
  }

  private static EventIngest.Call failed(String code, String reason, String message, String id) {
    return new EventIngest.Call.Failed(400, code, reason, message, id);
  }
}
