package dev.mkt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.test.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad-input case gets a typed rejection, and none is appended. */
class TrackValidationTest {
  @TempDir Path dir;
  MutableClock clock = MutableClock.at("2026-11-28T10:00:00Z");
  Marketing mkt;

  @BeforeEach
  void open() {
    mkt = Marketing.builder().dataDirectory(dir).clock(clock).startReactor(false).build();
  }

  @AfterEach
  void close() {
    mkt.close();
  }

  private MarketingEvent.Builder event() {
    return MarketingEvent.builder(EventTypes.FEATURE_USAGE, "u1").timestamp(clock.instant());
  }

  private void assertRejected(TrackResult r, RejectReason reason, String messagePart) {
    assertThat(r.status()).isEqualTo(TrackResult.Status.REJECTED);
    assertThat(r.reason()).contains(reason);
    assertThat(r.message()).hasValueSatisfying(m -> assertThat(m).contains(messagePart));
    assertThat(r.position()).isEqualTo(-1);
    assertThat(r.durable()).isCompleted();
    assertThat(mkt.stats().appended()).isZero();
  }

  @Test
  void missingType() {
    assertRejected(mkt.track(MarketingEvent.builder().userId("u1").build()), RejectReason.MISSING_TYPE, "no type");
    assertRejected(mkt.track(MarketingEvent.builder(" ", "u1").build()), RejectReason.MISSING_TYPE, "no type");
  }

  @Test
  void missingUserId() {
    assertRejected(mkt.track(MarketingEvent.builder().type("signup").build()), RejectReason.MISSING_USER_ID,
        "no userId");
  }

  @Test
  void reservedSystemType() {
    assertRejected(mkt.track(MarketingEvent.builder("$identify", "u1").build()), RejectReason.MISSING_TYPE,
        "reserved");
  }

  @Test
  void payloadOver32KiB() {
    assertRejected(mkt.track(event().put("blob", "x".repeat(33 * 1024)).build()), RejectReason.PAYLOAD_TOO_LARGE,
        "at most 32768 bytes");
  }

  @Test
  void payloadLimitIsConfigurable() {
    mkt.close();
    mkt = Marketing.builder().dataDirectory(dir).clock(clock).startReactor(false)
        .tracking(TrackingConfig.custom().maxPayloadBytes(100).build()).build();
    assertRejected(mkt.track(event().put("blob", "x".repeat(200)).build()), RejectReason.PAYLOAD_TOO_LARGE,
        "at most 100 bytes");
    assertThat(mkt.track(event().put("blob", "x".repeat(50)).build()).isAccepted()).isTrue();
  }

  @Test
  void aHugePayloadIsRejectedWithoutBufferingItAll() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 200_000; i++) {
      many.add("item-" + i);
    }
    assertRejected(mkt.track(event().put("list", many).build()), RejectReason.PAYLOAD_TOO_LARGE, "payload");
  }

  @Test
  void nestingDeeperThan32() {
    Map<String, Object> deepest = new LinkedHashMap<>();
    Map<String, Object> cur = deepest;
    for (int i = 0; i < 32; i++) { // payload itself is level 1; this makes 33
      Map<String, Object> next = new LinkedHashMap<>();
      cur.put("n", next);
      cur = next;
    }
    assertRejected(mkt.track(event().payload(deepest).build()), RejectReason.NESTING_TOO_DEEP, "32");
  }

  @Test
  void nestingOf32IsFine() {
    Map<String, Object> top = new LinkedHashMap<>();
    Map<String, Object> cur = top;
    for (int i = 0; i < 31; i++) {
      Map<String, Object> next = new LinkedHashMap<>();
      cur.put("n", next);
      cur = next;
    }
    assertThat(mkt.track(event().payload(top).build()).isAccepted()).isTrue();
  }

  @Test
  void arraysCountAsNesting() {
    Object v = "leaf";
    for (int i = 0; i < 40; i++) {
      v = List.of(v);
    }
    assertRejected(mkt.track(event().put("a", v).build()), RejectReason.NESTING_TOO_DEEP, "deeper");
  }

  @Test
  void timestampMoreThan24hInTheFuture() {
    assertRejected(mkt.track(event().timestamp(clock.instant().plus(Duration.ofHours(25))).build()),
        RejectReason.TIMESTAMP_IN_FUTURE, "in the future");
    assertThat(mkt.track(event().timestamp(clock.instant().plus(Duration.ofHours(23))).build()).isAccepted())
        .isTrue();
  }

  @Test
  void nanAndInfinity() {
    assertRejected(mkt.track(event().put("score", Double.NaN).build()), RejectReason.NON_FINITE_NUMBER,
        "payload.score");
    assertRejected(mkt.track(event().put("x", Map.of("y", List.of(1, Double.POSITIVE_INFINITY))).build()),
        RejectReason.NON_FINITE_NUMBER, "payload.x.y[1]");
    assertRejected(mkt.track(event().put("f", Float.NEGATIVE_INFINITY).build()), RejectReason.NON_FINITE_NUMBER,
        "not finite");
  }

  @Test
  void unsupportedValueTypes() {
    assertRejected(mkt.track(event().put("when", Instant.now()).build()), RejectReason.UNSUPPORTED_VALUE,
        "payload.when: java.time.Instant");
    assertRejected(mkt.track(event().put("m", Map.of(1, "x")).build()), RejectReason.UNSUPPORTED_VALUE,
        "keys must be strings");
  }

  @Test
  void unpairedSurrogateIsInvalidUtf8() {
    assertRejected(mkt.track(event().put("name", "bad\uD800").build()), RejectReason.INVALID_UTF8, "surrogate");
    assertRejected(mkt.track(MarketingEvent.builder("signup", "u\uDC00").build()), RejectReason.INVALID_UTF8,
        "userId");
  }

  @Test
  void tooLongIdentifiers() {
    assertRejected(mkt.track(event().id("i".repeat(300)).build()), RejectReason.FIELD_TOO_LONG, "id must be at most");
    assertRejected(mkt.track(MarketingEvent.builder("signup", "u".repeat(300)).build()), RejectReason.FIELD_TOO_LONG,
        "userId");
  }

  @Test
  void invalidUtf8Bytes() {
    byte[] json = "{\"type\":\"signup\",\"userId\":\"u1\",\"payload\":{\"n\":\"XX\"}}".getBytes(StandardCharsets.UTF_8);
    int at = new String(json, StandardCharsets.UTF_8).indexOf("XX");
    json[at] = (byte) 0xC3; // a lead byte followed by ASCII: malformed
    json[at + 1] = (byte) 0x28;
    TrackResult r = mkt.trackJson(json);
    assertRejected(r, RejectReason.INVALID_UTF8, "byte " + at);
    assertThat(mkt.stats().received()).isEqualTo(1);
    assertThat(mkt.stats().rejected()).isEqualTo(1);
  }

  @Test
  void invalidJson() {
    assertRejected(mkt.trackJson("{\"type\":\"signup\",".getBytes(StandardCharsets.UTF_8)),
        RejectReason.INVALID_JSON, "line 1");
    assertRejected(mkt.trackJson("[1,2]".getBytes(StandardCharsets.UTF_8)), RejectReason.INVALID_JSON,
        "must be a JSON object");
    assertRejected(mkt.trackJson("{\"type\":\"a\",\"type\":\"b\",\"userId\":\"u\"}".getBytes(StandardCharsets.UTF_8)),
        RejectReason.INVALID_JSON, "Duplicate field");
    assertRejected(mkt.trackJson("{\"type\":\"a\",\"userId\":\"u\",\"properties\":{}}".getBytes(StandardCharsets.UTF_8)),
        RejectReason.INVALID_JSON, "unknown field 'properties'");
    assertRejected(mkt.trackJson("{\"type\":\"a\",\"userId\":\"u\",\"payload\":[]}".getBytes(StandardCharsets.UTF_8)),
        RejectReason.INVALID_JSON, "payload must be a JSON object");
    assertRejected(mkt.trackJson("{\"type\":\"a\",\"userId\":\"u\",\"timestamp\":\"yesterday\"}".getBytes(StandardCharsets.UTF_8)),
        RejectReason.INVALID_JSON, "ISO-8601");
    assertRejected(mkt.trackJson("{\"type\":\"a\",\"userId\":\"u\",\"payload\":{\"x\":NaN}}".getBytes(StandardCharsets.UTF_8)),
        RejectReason.INVALID_JSON, "NaN");
  }

  @Test
  void aRejectionMidPayloadLeavesNoTraceInTheNextEventsBytes() throws Exception {
    mkt.track(event().put("a", 1).put("score", Double.NaN).put("z", 2).build());
    mkt.track(event().put("blob", "x".repeat(40_000)).build());
    MarketingEvent good = event().id("good").put("feature_name", "export").build();
    TrackResult r = mkt.track(good);
    r.durable().get();
    byte[] stored = ((dev.mkt.internal.DefaultMarketing) mkt).eventLog().read(r.position(), 1).records().get(0).data();
    assertThat(MarketingEvent.fromJson(stored)).isEqualTo(good);
  }

  @Test
  void hugeJsonNumberIsNotFinite() {
    TrackResult r = mkt.trackJson("{\"type\":\"a\",\"userId\":\"u\",\"payload\":{\"x\":1e999}}".getBytes(StandardCharsets.UTF_8));
    assertRejected(r, RejectReason.NON_FINITE_NUMBER, "payload.x");
  }

  @Test
  void validJsonIsAccepted_andTheEngineKeepsRunningAfterRejections() {
    mkt.trackJson("garbage".getBytes(StandardCharsets.UTF_8));
    mkt.track(event().put("score", Double.NaN).build());
    TrackResult r = mkt.trackJson(("{\"id\":\"e-1\",\"type\":\"signup\",\"userId\":\"u1\",\"sessionId\":\"s1\","
        + "\"timestamp\":\"2026-11-28T09:00:00Z\",\"payload\":{\"email_verified\":true}}").getBytes(StandardCharsets.UTF_8));
    assertThat(r.isAccepted()).isTrue();
    assertThat(r.eventId()).isEqualTo("e-1");
    assertThat(r.position()).isZero();
    assertThat(mkt.stats().rejected()).isEqualTo(2);
    assertThat(mkt.stats().appended()).isEqualTo(1);
  }
}
