package dev.mkt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MarketingEventJsonTest {

  @Test
  void roundTripsThroughJackson() {
    MarketingEvent e = MarketingEvent.builder(EventTypes.PAYMENT_FAILED, "user-7")
        .id("evt-1").sessionId("s-1").timestamp(Instant.parse("2026-11-28T10:15:30.123Z"))
        .put("retry_count", 1).put("amount", new BigDecimal("19.99")).put("tags", List.of("a", "b"))
        .put("card", Map.of("brand", "visa")).put("note", null).put("ok", false)
        .build();
    String json = e.toJson();
    assertThat(json).contains("\"timestamp\":\"2026-11-28T10:15:30.123Z\"").contains("\"retry_count\":1");
    MarketingEvent back = MarketingEvent.fromJson(json);
    assertThat(back).isEqualTo(e);
    assertThat(back.getLong("retry_count")).contains(1L);
    assertThat(back.getDouble("amount")).contains(19.99);
    assertThat(back.has("note")).isTrue();
    assertThat(back.get("note")).isNull();
  }

  @Test
  void generatedIdsAreTimeOrderedUuidV7() throws Exception {
    String a = MarketingEvent.builder("x", "u").build().id();
    Thread.sleep(2);
    String b = MarketingEvent.builder("x", "u").build().id();
    assertThat(a).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(a.compareTo(b)).isNegative();
  }

  @Test
  void epochMillisTimestampsAreAccepted() {
    MarketingEvent e = MarketingEvent.fromJson("{\"type\":\"signup\",\"userId\":42,\"timestamp\":1700000000000}");
    assertThat(e.userId()).isEqualTo("42");
    assertThat(e.timestamp()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
  }

  @Test
  void typedPayloadAccessNamesTheFieldAndTheValue() {
    MarketingEvent e = MarketingEvent.builder(EventTypes.CHURN_SIGNAL, "u1").id("e9").put("score", "high").build();
    assertThatThrownBy(() -> e.getDouble("score")).isInstanceOf(PayloadTypeException.class)
        .hasMessage("payload field 'score' of event e9 (churn_signal) must be a number, but was string \"high\"");
    assertThat(e.getDouble("missing")).isEmpty();
    assertThat(e.getString("score")).contains("high");
  }

  @Test
  void invalidJsonIsATypedException() {
    assertThatThrownBy(() -> MarketingEvent.fromJson("{nope")).isInstanceOf(InvalidEventException.class)
        .satisfies(ex -> assertThat(((InvalidEventException) ex).reason()).isEqualTo(RejectReason.INVALID_JSON));
  }

  @Test
  void toStringDoesNotPrintPayloadValues() {
    MarketingEvent e = MarketingEvent.builder("signup", "u1").put("email", "someone@example.com").build();
    assertThat(e.toString()).doesNotContain("someone@example.com").contains("email");
  }
}
