package dev.mkt.internal.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mkt.Action;
import dev.mkt.ActionType;
import dev.mkt.OutboxEntry;
import dev.mkt.OutboxState;
import dev.mkt.Priority;
import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON form of an {@link OutboxEntry}, as stored in the journal (and by other outboxes that want it). Instants
 * are ISO-8601 strings, so they round-trip exactly; action vars are JSON values (strings, numbers, booleans,
 * lists, maps).
 */
public final class OutboxCodec {
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private OutboxCodec() {}

  public static byte[] encode(OutboxEntry e) {
    ObjectNode n = MAPPER.createObjectNode();
    n.set("action", actionNode(e.action()));
    n.put("state", e.state().name());
    n.put("attempts", e.attempts());
    n.put("dueAt", e.dueAt().toString());
    putOpt(n, "reason", e.reason());
    putOpt(n, "provider", e.provider());
    putOpt(n, "providerMessageId", e.providerMessageId());
    putOpt(n, "reviewer", e.reviewer());
    n.put("createdAt", e.createdAt().toString());
    n.put("updatedAt", e.updatedAt().toString());
    try {
      return MAPPER.writeValueAsBytes(n);
    } catch (JsonProcessingException ex) {
      throw new IllegalArgumentException("action " + e.key() + " has vars that are not JSON values: " + ex, ex);
    }
  }

  /** The action as JSON (the replay CLI and the actuator use the same shape). */
  public static ObjectNode actionNode(Action a) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("idempotencyKey", a.idempotencyKey());
    n.put("rule", a.rule());
    n.put("userId", a.userId());
    putOpt(n, "eventId", a.eventId());
    n.put("action", a.type().wireName());
    n.put("channel", a.channel());
    n.put("template", a.template());
    n.put("priority", a.priority().name().toLowerCase(java.util.Locale.ROOT));
    n.put("notBefore", a.notBefore().toString());
    if (!a.vars().isEmpty()) {
      n.set("vars", MAPPER.valueToTree(a.vars()));
    }
    if (a.reviewRequired()) {
      n.put("reviewRequired", true);
    }
    return n;
  }

  public static OutboxEntry decode(byte[] json) throws IOException {
    JsonNode n = MAPPER.readTree(json);
    Action a = action(n.get("action"));
    return OutboxEntry.builder(a)
        .state(OutboxState.valueOf(text(n, "state")))
        .attempts(n.path("attempts").asInt())
        .dueAt(Instant.parse(text(n, "dueAt")))
        .reason(opt(n, "reason"))
        .provider(opt(n, "provider"))
        .providerMessageId(opt(n, "providerMessageId"))
        .reviewer(opt(n, "reviewer"))
        .createdAt(Instant.parse(text(n, "createdAt")))
        .updatedAt(Instant.parse(text(n, "updatedAt")))
        .build();
  }

  static Action action(JsonNode n) throws IOException {
    if (n == null || !n.isObject()) {
      throw new IOException("entry has no action object");
    }
    Action.Builder b = Action.builder()
        .idempotencyKey(text(n, "idempotencyKey"))
        .rule(text(n, "rule"))
        .userId(text(n, "userId"))
        .eventId(opt(n, "eventId"))
        .type(ActionType.fromWireName(text(n, "action")))
        .channel(text(n, "channel"))
        .template(text(n, "template"))
        .priority(Priority.parse(text(n, "priority")))
        .notBefore(Instant.parse(text(n, "notBefore")))
        .reviewRequired(n.path("reviewRequired").asBoolean(false));
    JsonNode vars = n.get("vars");
    if (vars != null && vars.isObject()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = MAPPER.convertValue(vars, Map.class);
      for (Iterator<Map.Entry<String, Object>> it = m.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, Object> v = it.next();
        b.var(v.getKey(), v.getValue());
      }
    }
    return b.build();
  }

  private static String text(JsonNode n, String field) throws IOException {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IOException("missing field '" + field + "'");
    }
    return v.asText();
  }

  private static String opt(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static void putOpt(ObjectNode n, String field, String value) {
    if (value != null) {
      n.put(field, value);
    }
  }
}
