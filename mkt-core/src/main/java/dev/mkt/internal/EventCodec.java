package dev.mkt.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mkt.InvalidEventException;
import dev.mkt.MarketingEvent;
import dev.mkt.RejectReason;
import dev.mkt.TrackingConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Encodes events to their JSON form while validating them, and parses that form back.
 *
 * <p>Encoding walks the payload once: it writes JSON and checks nesting depth, finite numbers, value types
 * and unpaired surrogates on the way, then checks the payload's byte size. Parsing untrusted bytes first
 * validates UTF-8, then reads the JSON strictly (duplicate keys and unknown top-level fields are errors).
 */
public final class EventCodec {
  private static final EventCodec SHARED = new EventCodec();
  private static final int UNBOUNDED_DEPTH = 1000;

  private final JsonFactory factory;
  private final ObjectMapper mapper;

  private EventCodec() {
    this.mapper = JsonMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    this.mapper.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxNestingDepth(UNBOUNDED_DEPTH).build());
    this.factory = mapper.getFactory();
  }

  public static EventCodec shared() {
    return SHARED;
  }

  /** The mapper mkt uses for its own JSON. */
  public ObjectMapper mapper() {
    return mapper;
  }

  /**
   * Validates the event against {@code config} and encodes it.
   *
   * @throws InvalidEventException with the typed reason
   */
  public byte[] encode(MarketingEvent e, TrackingConfig config, long nowMillis) {
    validateHeader(e, config, nowMillis);
    return write(e, config.maxDepth(), config.maxPayloadBytes());
  }

  /** The JSON form, validating only that the payload is JSON. */
  public byte[] toJsonBytes(MarketingEvent e) {
    return write(e, UNBOUNDED_DEPTH, Integer.MAX_VALUE);
  }

  private static void validateHeader(MarketingEvent e, TrackingConfig config, long nowMillis) {
    if (e.type() == null || e.type().isBlank()) {
      throw new InvalidEventException(RejectReason.MISSING_TYPE, "event " + e.id() + " has no type");
    }
    if (e.userId() == null || e.userId().isBlank()) {
      throw new InvalidEventException(RejectReason.MISSING_USER_ID,
          "event " + e.id() + " (" + e.type() + ") has no userId");
    }
    int max = config.maxIdLength();
    checkLength("id", e.id(), max);
    checkLength("type", e.type(), max);
    checkLength("userId", e.userId(), max);
    checkLength("sessionId", e.sessionId(), max);
    long skew = e.timestamp().toEpochMilli() - nowMillis;
    if (skew > config.maxFutureSkew().toMillis()) {
      throw new InvalidEventException(RejectReason.TIMESTAMP_IN_FUTURE, "timestamp " + e.timestamp()
          + " is " + Durations.format(java.time.Duration.ofMillis(skew)) + " in the future; at most "
          + Durations.format(config.maxFutureSkew()) + " is allowed");
    }
  }

  private static void checkLength(String field, String value, int max) {
    if (value == null) {
      return;
    }
    if (value.length() > max) {
      throw new InvalidEventException(RejectReason.FIELD_TOO_LONG,
          field + " must be at most " + max + " characters, but was " + value.length());
    }
    checkSurrogates(field, value);
  }

  /** A generator kept per thread and reused across events (creating one costs more than writing an event). */
  private static final class Writer {
    final Buffer buf = new Buffer();
    JsonGenerator gen;
  }

  private final ThreadLocal<Writer> writers = ThreadLocal.withInitial(Writer::new);

  private JsonGenerator generator(Writer w) throws IOException {
    if (w.gen == null) {
      w.gen = factory.createGenerator(w.buf);
      w.gen.setRootValueSeparator(null);
    }
    return w.gen;
  }

  private byte[] write(MarketingEvent e, int maxDepth, int maxPayloadBytes) {
    Writer w = writers.get();
    Buffer buf = w.buf;
    buf.reset(maxPayloadBytes == Integer.MAX_VALUE ? Integer.MAX_VALUE : maxPayloadBytes + 4096);
    boolean ok = false;
    try {
      JsonGenerator g = generator(w);
      g.writeStartObject();
      g.writeStringField("id", e.id());
      g.writeStringField("type", e.type());
      g.writeStringField("userId", e.userId());
      if (e.sessionId() != null) {
        g.writeStringField("sessionId", e.sessionId());
      }
      g.writeStringField("timestamp", Instants.format(e.timestamp()));
      g.writeFieldName("payload");
      g.flush();
      int start = buf.size();
      writeObject(g, e.payload(), 1, maxDepth);
      g.flush();
      int payloadBytes = buf.size() - start;
      if (payloadBytes > maxPayloadBytes) {
        throw tooLarge(payloadBytes, maxPayloadBytes);
      }
      g.writeEndObject();
      g.flush();
      ok = true;
    } catch (Buffer.Overflow o) {
      throw tooLarge(o.size, maxPayloadBytes);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    } finally {
      if (!ok) {
        // A failed event leaves the generator mid-object: start the next one with a fresh generator.
        w.gen = null;
      }
    }
    return buf.toByteArray();
  }

  private static InvalidEventException tooLarge(int size, int max) {
    return new InvalidEventException(RejectReason.PAYLOAD_TOO_LARGE,
        "payload must be at most " + max + " bytes of JSON, but was " + (size > max + 4096 ? "over " : "") + size);
  }

  private void writeObject(JsonGenerator g, Map<?, ?> map, int depth, int maxDepth) throws IOException {
    if (depth > maxDepth) {
      throw new InvalidEventException(RejectReason.NESTING_TOO_DEEP,
          "payload nests deeper than " + maxDepth + " levels");
    }
    g.writeStartObject();
    for (Map.Entry<?, ?> en : map.entrySet()) {
      Object k = en.getKey();
      if (!(k instanceof String)) {
        throw new InvalidEventException(RejectReason.UNSUPPORTED_VALUE,
            "payload keys must be strings, but one was " + (k == null ? "null" : k.getClass().getName()));
      }
      String key = (String) k;
      checkSurrogates("payload key", key);
      g.writeFieldName(key);
      try {
        writeValue(g, en.getValue(), depth, maxDepth);
      } catch (InvalidEventException ex) {
        throw prefixed(ex, key);
      }
    }
    g.writeEndObject();
  }

  private void writeValue(JsonGenerator g, Object v, int depth, int maxDepth) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String) {
      checkSurrogates("value", (String) v);
      g.writeString((String) v);
    } else if (v instanceof Boolean) {
      g.writeBoolean((Boolean) v);
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (!Double.isFinite(d)) {
        throw new InvalidEventException(RejectReason.NON_FINITE_NUMBER, "number " + d + " is not finite");
      }
      g.writeNumber(d);
    } else if (v instanceof BigDecimal) {
      g.writeNumber((BigDecimal) v);
    } else if (v instanceof BigInteger) {
      g.writeNumber((BigInteger) v);
    } else if (v instanceof Map) {
      writeObject(g, (Map<?, ?>) v, depth + 1, maxDepth);
    } else if (v instanceof Collection) {
      writeArray(g, (Collection<?>) v, depth + 1, maxDepth);
    } else if (v instanceof Object[]) {
      writeArray(g, Arrays.asList((Object[]) v), depth + 1, maxDepth);
    } else if (v instanceof JsonNode) {
      writeValue(g, mapper.convertValue(v, Object.class), depth, maxDepth);
    } else {
      throw new InvalidEventException(RejectReason.UNSUPPORTED_VALUE,
          v.getClass().getName() + " is not a JSON value (use String, Boolean, Number, null, List or Map)");
    }
  }

  private void writeArray(JsonGenerator g, Collection<?> items, int depth, int maxDepth) throws IOException {
    if (depth > maxDepth) {
      throw new InvalidEventException(RejectReason.NESTING_TOO_DEEP,
          "payload nests deeper than " + maxDepth + " levels");
    }
    g.writeStartArray();
    int i = 0;
    for (Object item : items) {
      try {
        writeValue(g, item, depth, maxDepth);
      } catch (InvalidEventException ex) {
        throw prefixed(ex, "[" + i + "]");
      }
      i++;
    }
    g.writeEndArray();
  }

  private static InvalidEventException prefixed(InvalidEventException ex, String segment) {
    if (ex.reason() == RejectReason.NESTING_TOO_DEEP || ex.reason() == RejectReason.PAYLOAD_TOO_LARGE) {
      return ex;
    }
    String d = ex.detail();
    String path = d.startsWith("payload.") || d.startsWith("payload[") ? d.substring("payload".length()) : ": " + d;
    String sep = segment.startsWith("[") ? "" : ".";
    return new InvalidEventException(ex.reason(), "payload" + sep + segment + path);
  }

  private static void checkSurrogates(String what, String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          throw new InvalidEventException(RejectReason.INVALID_UTF8,
              what + " holds an unpaired surrogate at index " + i + "; it cannot be encoded as UTF-8");
        }
      }
    }
  }

  /**
   * Parses untrusted JSON bytes.
   *
   * @throws InvalidEventException {@code INVALID_UTF8} or {@code INVALID_JSON}, naming the position
   */
  public MarketingEvent parse(byte[] json) {
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    String text;
    ByteBuffer in = ByteBuffer.wrap(json);
    try {
      CharBuffer chars = dec.decode(in);
      text = chars.toString();
    } catch (CharacterCodingException ex) {
      throw new InvalidEventException(RejectReason.INVALID_UTF8,
          "invalid UTF-8 at byte " + in.position() + " of " + json.length);
    }
    return parse(text);
  }

  /**
   * Parses untrusted JSON text.
   *
   * @throws InvalidEventException {@code INVALID_JSON}, naming the position and the problem
   */
  public MarketingEvent parse(String json) {
    JsonNode root;
    try {
      root = mapper.readTree(json);
    } catch (JsonProcessingException ex) {
      throw new InvalidEventException(RejectReason.INVALID_JSON, ex.getOriginalMessage()
          + (ex.getLocation() == null ? "" : " at line " + ex.getLocation().getLineNr() + ", column "
          + ex.getLocation().getColumnNr()));
    }
    if (root == null || !root.isObject()) {
      throw new InvalidEventException(RejectReason.INVALID_JSON, "an event must be a JSON object, but was "
          + (root == null ? "empty input" : root.getNodeType().toString().toLowerCase()));
    }
    return fromTree(root);
  }

  /** Builds an event from a JSON object of the event shape; throws {@code INVALID_JSON} for a wrong shape. */
  public MarketingEvent fromTree(JsonNode root) {
    MarketingEvent.Builder b = MarketingEvent.builder();
    for (Map.Entry<String, JsonNode> f : (Iterable<Map.Entry<String, JsonNode>>) root::fields) {
      JsonNode v = f.getValue();
      switch (f.getKey()) {
        case "id": b.id(text(f.getKey(), v)); break;
        case "type": b.type(text(f.getKey(), v)); break;
        case "userId": b.userId(text(f.getKey(), v)); break;
        case "sessionId": b.sessionId(text(f.getKey(), v)); break;
        case "timestamp": b.timestamp(timestamp(v)); break;
        case "payload":
          if (!v.isNull()) {
            if (!v.isObject()) {
              throw new InvalidEventException(RejectReason.INVALID_JSON,
                  "payload must be a JSON object, but was " + v.getNodeType().toString().toLowerCase());
            }
            b.payload(mapper.convertValue(v, LinkedHashMap.class));
          }
          break;
        default:
          throw new InvalidEventException(RejectReason.INVALID_JSON, "unknown field '" + f.getKey()
              + "'; an event has id, type, userId, sessionId, timestamp and payload");
      }
    }
    return b.build();
  }

  private static String text(String field, JsonNode v) {
    if (v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      return v.textValue();
    }
    if (v.isIntegralNumber() && !field.equals("type")) {
      return v.asText();
    }
    throw new InvalidEventException(RejectReason.INVALID_JSON,
        field + " must be a string, but was " + v.getNodeType().toString().toLowerCase());
  }

  private static Instant timestamp(JsonNode v) {
    if (v.isNull()) {
      return null;
    }
    if (v.isIntegralNumber()) {
      return Instant.ofEpochMilli(v.longValue());
    }
    if (v.isTextual()) {
      try {
        return java.time.OffsetDateTime.parse(v.textValue()).toInstant();
      } catch (DateTimeParseException ex) {
        throw new InvalidEventException(RejectReason.INVALID_JSON,
            "timestamp must be ISO-8601 (2026-11-28T07:34:36Z) or epoch milliseconds, but was '" + v.textValue()
                + "'");
      }
    }
    throw new InvalidEventException(RejectReason.INVALID_JSON,
        "timestamp must be an ISO-8601 string or epoch milliseconds, but was "
            + v.getNodeType().toString().toLowerCase());
  }

  /** Decodes a record mkt wrote itself (trusted; fast path of the reactor). */
  public MarketingEvent decode(byte[] json) {
    try (JsonParser p = factory.createParser(json)) {
      // mkt's encoder wrote the record from maps, so it has no duplicate keys, and the log's frames are checksummed:
      // no need to track every field name (a hash set per object, ~5 % of the reactor's time).
      p.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not an object");
      }
      MarketingEvent.Builder b = MarketingEvent.builder();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        switch (name) {
          case "id": b.id(p.getText()); break;
          case "type": b.type(p.getText()); break;
          case "userId": b.userId(p.getText()); break;
          case "sessionId": b.sessionId(t == JsonToken.VALUE_NULL ? null : p.getText()); break;
          case "timestamp": b.timestamp(Instants.parse(p.getText())); break;
          case "payload":
            if (t == JsonToken.START_OBJECT) {
              // Straight into the builder's map: no intermediate map to copy.
              while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                b.put(field, readValue(p, p.nextToken()));
              }
            }
            break;
          default: p.skipChildren();
        }
      }
      return b.build();
    } catch (IOException | RuntimeException ex) {
      throw new InvalidEventException(RejectReason.INVALID_JSON, "undecodable log record: " + ex.getMessage(), ex);
    }
  }

  /** Reads the object whose START_OBJECT was just read into JSON-native Java values (insertion-ordered). */
  private static LinkedHashMap<String, Object> readObject(JsonParser p) throws IOException {
    LinkedHashMap<String, Object> m = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      m.put(name, readValue(p, p.nextToken()));
    }
    return m;
  }

  private static Object readValue(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT: return readObject(p);
      case START_ARRAY: {
        java.util.ArrayList<Object> list = new java.util.ArrayList<>();
        JsonToken n;
        while ((n = p.nextToken()) != JsonToken.END_ARRAY) {
          list.add(readValue(p, n));
        }
        return list;
      }
      case VALUE_STRING: return p.getText();
      case VALUE_NUMBER_INT: return p.getNumberValue();
      case VALUE_NUMBER_FLOAT: return p.getDoubleValue();
      case VALUE_TRUE: return Boolean.TRUE;
      case VALUE_FALSE: return Boolean.FALSE;
      case VALUE_NULL: return null;
      default: throw new IOException("unexpected token " + t);
    }
  }

  /** A growable byte buffer with a hard cap, reused per thread. */
  private static final class Buffer extends OutputStream {
    static final class Overflow extends IOException {
      private static final long serialVersionUID = 1L;
      final int size;

      Overflow(int size) {
        super("payload over the size limit");
        this.size = size;
      }

      @Override
      public synchronized Throwable fillInStackTrace() {
        return this; // control flow, not a failure: no stack trace needed
      }
    }

    private byte[] bytes = new byte[1024];
    private int size;
    private int cap;

    void reset(int cap) {
      this.size = 0;
      this.cap = cap;
      if (bytes.length > 256 * 1024) {
        bytes = new byte[1024];
      }
    }

    int size() {
      return size;
    }

    @Override
    public void write(int b) throws IOException {
      ensure(1);
      bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      ensure(len);
      System.arraycopy(b, off, bytes, size, len);
      size += len;
    }

    private void ensure(int more) throws Overflow {
      int need = size + more;
      if (need > cap) {
        throw new Overflow(need);
      }
      if (need > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(need, Math.min(bytes.length * 2, cap)));
      }
    }

    byte[] toByteArray() {
      return Arrays.copyOf(bytes, size);
    }
  }
}
