package dev.mkt;

import static java.util.Objects.requireNonNull;

import dev.mkt.internal.EventIds;
import dev.mkt.internal.PayloadValues;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Something a user did, as the product backend saw it. Immutable.
 *
 * <pre>{@code
 * MarketingEvent e = MarketingEvent.builder(EventTypes.FEATURE_USAGE, "user-42")
 *     .sessionId("s-9")
 *     .put("feature_name", "export")
 *     .build();
 * }</pre>
 *
 * <p>The {@code id} is the deduplication key by default. Supply your own (for example the id of the row or
 * message that caused the event) when the same event may be sent twice; otherwise a time-ordered id is
 * generated when the event is built. The payload holds JSON values only: {@code String}, {@code Boolean},
 * a {@link Number}, {@code null}, a {@link List} or a {@link Map} of those. Nothing here is validated
 * beyond non-null-ness: {@link Marketing#trackMarketingEvent} validates and answers with a typed
 * {@link TrackResult} instead of throwing.
 *
 * <p>The JSON form (see {@link #toJson()} and {@link #fromJson(byte[])}) is
 * {@code {"id","type","userId","sessionId","timestamp" (ISO-8601),"payload"}}.
 */
public final class MarketingEvent {
  private final String id;
  private final String type;
  private final String userId;
  private final String sessionId;
  private final Instant timestamp;
  private final Map<String, Object> payload;

  private MarketingEvent(Builder b) {
    this.id = b.id != null ? b.id : EventIds.next();
    this.type = b.type;
    this.userId = b.userId;
    this.sessionId = b.sessionId;
    this.timestamp = b.timestamp != null ? b.timestamp : Instant.now();
    this.payload = b.payload == null || b.payload.isEmpty()
        ? Map.of() : Collections.unmodifiableMap(b.payload);
  }

  /** Starts an event of the given type for the given user. */
  public static Builder builder(String type, String userId) {
    return new Builder().type(type).userId(userId);
  }

  /** Starts an empty event; {@link #type} and {@link #userId} are required by validation. */
  public static Builder builder() {
    return new Builder();
  }

  /** Parses the JSON form. Throws {@link InvalidEventException} for invalid UTF-8 or JSON. */
  public static MarketingEvent fromJson(byte[] json) {
    return dev.mkt.internal.EventCodec.shared().parse(json);
  }

  /** Parses the JSON form. Throws {@link InvalidEventException} for invalid JSON. */
  public static MarketingEvent fromJson(String json) {
    return dev.mkt.internal.EventCodec.shared().parse(json);
  }

  /** The JSON form, as UTF-8 bytes. */
  public byte[] toJsonBytes() {
    return dev.mkt.internal.EventCodec.shared().toJsonBytes(this);
  }

  /** The JSON form. */
  public String toJson() {
    return new String(toJsonBytes(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The client-supplied or generated id; the default deduplication key. */
  public String id() { return id; }

  /** The event type, an open string; see {@link EventTypes}. */
  public String type() { return type; }

  public String userId() { return userId; }

  /** The session, or {@code null}. */
  public String sessionId() { return sessionId; }

  /** When it happened (event time). Windows in rules are measured on this clock. */
  public Instant timestamp() { return timestamp; }

  /** The payload, unmodifiable, in insertion order. */
  public Map<String, Object> payload() { return payload; }

  /** The raw payload value, or {@code null} if absent. */
  public Object get(String field) {
    return payload.get(field);
  }

  /** Whether the payload has the field, even with a {@code null} value. */
  public boolean has(String field) {
    return payload.containsKey(field);
  }

  /**
   * The field as a string.
   *
   * @throws PayloadTypeException if present and not a string
   */
  public Optional<String> getString(String field) {
    return Optional.ofNullable(PayloadValues.asString(this, field));
  }

  /**
   * The field as a double (any JSON number).
   *
   * @throws PayloadTypeException if present and not a number, e.g. {@code "score": "high"}
   */
  public Optional<Double> getDouble(String field) {
    return Optional.ofNullable(PayloadValues.asDouble(this, field));
  }

  /**
   * The field as a long (a JSON integer).
   *
   * @throws PayloadTypeException if present and not an integral number
   */
  public Optional<Long> getLong(String field) {
    return Optional.ofNullable(PayloadValues.asLong(this, field));
  }

  /**
   * The field as a boolean.
   *
   * @throws PayloadTypeException if present and not a boolean
   */
  public Optional<Boolean> getBoolean(String field) {
    return Optional.ofNullable(PayloadValues.asBoolean(this, field));
  }

  /** A copy with another id, e.g. to resend an event under a new identity. */
  public Builder toBuilder() {
    Builder b = new Builder().id(id).type(type).userId(userId).sessionId(sessionId).timestamp(timestamp);
    if (!payload.isEmpty()) {
      b.payload = new LinkedHashMap<>(payload);
    }
    return b;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof MarketingEvent)) {
      return false;
    }
    MarketingEvent e = (MarketingEvent) o;
    return id.equals(e.id) && Objects.equals(type, e.type) && Objects.equals(userId, e.userId)
        && Objects.equals(sessionId, e.sessionId) && timestamp.equals(e.timestamp)
        && PayloadValues.jsonEquals(payload, e.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, type, userId, sessionId, timestamp);
  }

  @Override
  public String toString() {
    // Payload values may hold PII; only the shape is printed.
    return "MarketingEvent{id=" + id + ", type=" + type + ", userId=" + userId + ", sessionId=" + sessionId
        + ", timestamp=" + timestamp + ", payloadFields=" + payload.keySet() + '}';
  }

  /** Builds a {@link MarketingEvent}. Not thread-safe. */
  public static final class Builder {
    private String id;
    private String type;
    private String userId;
    private String sessionId;
    private Instant timestamp;
    private LinkedHashMap<String, Object> payload;

    private Builder() {}

    /** A client-supplied id (like Segment's messageId). Generated, time-ordered, if not set. */
    public Builder id(String id) {
      this.id = id;
      return this;
    }

    public Builder type(String type) {
      this.type = type;
      return this;
    }

    public Builder userId(String userId) {
      this.userId = userId;
      return this;
    }

    public Builder sessionId(String sessionId) {
      this.sessionId = sessionId;
      return this;
    }

    /** Event time; now if not set. */
    public Builder timestamp(Instant timestamp) {
      this.timestamp = timestamp;
      return this;
    }

    /** Adds one payload field. */
    public Builder put(String field, Object value) {
      requireNonNull(field, "field");
      if (payload == null) {
        payload = new LinkedHashMap<>();
      }
      payload.put(field, value);
      return this;
    }

    /** Replaces the payload with a copy of the given map. */
    public Builder payload(Map<String, ?> fields) {
      payload = fields == null ? null : new LinkedHashMap<>(fields);
      return this;
    }

    public MarketingEvent build() {
      return new MarketingEvent(this);
    }
  }
}
