package dev.mkt;

/** Why {@link Marketing#trackMarketingEvent} rejected an event. A rejected event is never appended. */
public enum RejectReason {
  /** {@code type} is missing or blank. */
  MISSING_TYPE,
  /** {@code userId} is missing or blank. */
  MISSING_USER_ID,
  /** An identifier ({@code id}, {@code type}, {@code userId}, {@code sessionId}) is longer than allowed. */
  FIELD_TOO_LONG,
  /** The serialized payload exceeds {@link TrackingConfig#maxPayloadBytes()} (32 KiB by default). */
  PAYLOAD_TOO_LARGE,
  /** The payload nests objects/arrays deeper than {@link TrackingConfig#maxDepth()} (32 by default). */
  NESTING_TOO_DEEP,
  /** The timestamp is further in the future than {@link TrackingConfig#maxFutureSkew()} (24 h by default). */
  TIMESTAMP_IN_FUTURE,
  /** A payload number is NaN or infinite; JSON cannot carry it. */
  NON_FINITE_NUMBER,
  /** A payload value is not a JSON value (String, Boolean, Number, null, List, Map with string keys). */
  UNSUPPORTED_VALUE,
  /** The bytes are not valid UTF-8, or a string holds an unpaired surrogate. */
  INVALID_UTF8,
  /** The bytes are not a JSON object of the event shape. */
  INVALID_JSON,
  /** The event log could not take the record (disk full, I/O error). Nothing was appended; retry later. */
  LOG_UNAVAILABLE
}
