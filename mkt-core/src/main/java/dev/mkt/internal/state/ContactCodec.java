package dev.mkt.internal.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mkt.ConsentRecord;
import dev.mkt.Contact;
import dev.mkt.internal.EventCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON form of a {@link Contact}: {@code {"userId","traits":{...},"optOut":{"at","source"},
 * "unsubscribed":{channel:{"at","source"}},"consents":{purpose:{"at","source"}}}}. Used by the embedded state
 * journal, and readable by SQL stores as JSONB.
 */
public final class ContactCodec {
  private static final ObjectMapper MAPPER = EventCodec.shared().mapper();

  private ContactCodec() {}

  public static byte[] toJson(Contact c) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("userId", c.userId());
    n.set("traits", MAPPER.valueToTree(c.traits()));
    c.optOut().ifPresent(r -> n.set("optOut", record(r)));
    if (!c.unsubscribes().isEmpty()) {
      ObjectNode u = n.putObject("unsubscribed");
      c.unsubscribes().forEach((k, v) -> u.set(k, record(v)));
    }
    if (!c.consents().isEmpty()) {
      ObjectNode u = n.putObject("consents");
      c.consents().forEach((k, v) -> u.set(k, record(v)));
    }
    try {
      return MAPPER.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode record(ConsentRecord r) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("at", r.at().toString());
    o.put("source", r.source());
    return o;
  }

  @SuppressWarnings("unchecked")
  public static Contact fromJson(byte[] json) {
    try {
      JsonNode n = MAPPER.readTree(json);
      Map<String, Object> traits = n.has("traits")
          ? MAPPER.convertValue(n.get("traits"), LinkedHashMap.class) : Map.of();
      ConsentRecord optOut = n.has("optOut") ? record(n.get("optOut")) : null;
      return new Contact(n.get("userId").asText(), traits, optOut, records(n.get("unsubscribed")),
          records(n.get("consents")));
    } catch (IOException e) {
      throw new UncheckedIOException("undecodable contact: " + e.getMessage(), e);
    }
  }

  private static ConsentRecord record(JsonNode n) {
    return new ConsentRecord(Instant.parse(n.get("at").asText()), n.get("source").asText());
  }

  private static Map<String, ConsentRecord> records(JsonNode n) {
    if (n == null) {
      return Map.of();
    }
    Map<String, ConsentRecord> out = new HashMap<>();
    n.fields().forEachRemaining(e -> out.put(e.getKey(), record(e.getValue())));
    return out;
  }
}
