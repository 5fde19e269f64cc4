package dev.mkt.spring.web;

import dev.mkt.StandardWebhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mkt.FsyncPolicy;
import dev.mkt.Marketing;
import dev.mkt.MarketingEvent;
import dev.mkt.spi.RuleEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventIngestTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String SECRET = StandardWebhooks.newSecret();

  @TempDir Path dir;
  Marketing marketing;
  final List<MarketingEvent> seen = Collections.synchronizedList(new ArrayList<>());
  EventIngest ingest;
  StandardWebhooks hooks;

  @BeforeEach
  void start() {
    RuleEngine recorder = (e, c, a) -> {
      seen.add(e);
      return List.of();
    };
    marketing = Marketing.builder().dataDirectory(dir).fsync(FsyncPolicy.never()).ruleEngine(recorder).build();
    hooks = StandardWebhooks.of(List.of(SECRET), Duration.ofMinutes(5), Clock.systemUTC());
    ingest = new EventIngest(marketing, hooks, new IngestOptions(4096, Map.of("Signed Up", "signup"), true,
        "page_view", "screen_view", Map.of("com.acme.user.signup", "signup"), "com.acme."));
  }

  @AfterEach
  void stop() {
    marketing.close();
  }

  // ------------------------------------------------------------------ helpers

  static final class Req implements EventIngest.Request {
    final Map<String, String> headers = new LinkedHashMap<>();
    final byte[] body;

    Req(String body) {
      this.body = body.getBytes(StandardCharsets.UTF_8);
    }

    Req header(String name, String value) {
      headers.put(name.toLowerCase(), value);
      return this;
    }

    @Override
    public String header(String name) {
      return headers.get(name.toLowerCase());
    }

    @Override
    public void forEachHeader(BiConsumer<String, String> consumer) {
      headers.forEach(consumer);
    }

    @Override
    public byte[] body() {
      return body;
    }
  }

  Req signed(String id, String body) {
    long ts = Instant.now().getEpochSecond();
    Req r = new Req(body).header("content-type", "application/json");
    return r.header("webhook-id", id).header("webhook-timestamp", Long.toString(ts))
        .header("webhook-signature", hooks.sign(id, ts, r.body));
  }

  static JsonNode json(EventIngest.Response r) throws Exception {
    return JSON.readTree(r.json());
  }

  List<MarketingEvent> processed() throws InterruptedException {
    assertThat(marketing.awaitProcessed(Duration.ofSeconds(5))).isTrue();
    return new ArrayList<>(seen);
  }

  // ------------------------------------------------------------------ mkt JSON

  @Test
  void mktEvent_isAccepted202() throws Exception {
    EventIngest.Response r = ingest.ingest(signed("msg_1",
        "{\"id\":\"e1\",\"type\":\"signup\",\"userId\":\"u1\",\"payload\":{\"email_verified\":true}}"));
    assertThat(r.status()).isEqualTo(202);
    assertThat(json(r).get("status").asText()).isEqualTo("ACCEPTED");
    assertThat(json(r).get("eventId").asText()).isEqualTo("e1");
    assertThat(processed()).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo("signup");
      assertThat(e.getBoolean("email_verified")).contains(true);
    });
  }

  @Test
  void mktEvent_sameIdTwice_isADuplicate200() throws Exception {
    String body = "{\"id\":\"e1\",\"type\":\"signup\",\"userId\":\"u1\"}";
    assertThat(ingest.ingest(signed("msg_1", body)).status()).isEqualTo(202);
    EventIngest.Response second = ingest.ingest(signed("msg_2", body));
    assertThat(second.status()).isEqualTo(200);
    assertThat(json(second).get("status").asText()).isEqualTo("DUPLICATE");
  }

  @Test
  void mktEvent_withoutId_takesTheWebhookIdSoRetriesDeduplicate() throws Exception {
    String body = "{\"type\":\"signup\",\"userId\":\"u1\"}";
    EventIngest.Response first = ingest.ingest(signed("msg_retry", body));
    assertThat(json(first).get("eventId").asText()).isEqualTo("msg_retry");
    EventIngest.Response retry = ingest.ingest(signed("msg_retry", body));
    assertThat(retry.status()).isEqualTo(200);
    assertThat(processed()).hasSize(1);
  }

  @Test
  void mktEvent_withoutUserId_isA400WithTheReason() throws Exception {
    EventIngest.Response r = ingest.ingest(signed("msg_1", "{\"type\":\"signup\"}"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(json(r).get("error").asText()).isEqualTo("invalid_event");
    assertThat(json(r).get("reason").asText()).isEqualTo("MISSING_USER_ID");
  }

  @Test
  void invalidJson_isA400() throws Exception {
    EventIngest.Response r = ingest.ingest(signed("msg_1", "{\"type\":"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(json(r).get("error").asText()).isEqualTo("invalid_json");
  }

  @Test
  void arrayOfMktEvents_isTrackedInOrder() throws Exception {
    EventIngest.Response r = ingest.ingest(signed("msg_b", "[{\"type\":\"signup\",\"userId\":\"u1\"},"
        + "{\"type\":\"feature_usage\",\"userId\":\"u1\"},{\"type\":\"x\"}]"));
    assertThat(r.status()).isEqualTo(202);
    JsonNode n = json(r);
    assertThat(n.get("accepted").asInt()).isEqualTo(2);
    assertThat(n.get("rejected").asInt()).isEqualTo(1);
    assertThat(n.get("results").get(0).get("eventId").asText()).isEqualTo("msg_b:0");
    assertThat(n.get("results").get(2).get("reason").asText()).isEqualTo("MISSING_USER_ID");
    assertThat(processed()).extracting(MarketingEvent::type).containsExactly("signup", "feature_usage");
  }

  @Test
  void oversizedBody_isA413() throws Exception {
    EventIngest.Response r = ingest.ingest(signed("msg_1", "{\"type\":\"a\",\"userId\":\"u\",\"payload\":{\"x\":\""
        + "a".repeat(5000) + "\"}}"));
    assertThat(r.status()).isEqualTo(413);
    assertThat(json(r).get("error").asText()).isEqualTo("payload_too_large");
  }

  // ------------------------------------------------------------------ signatures

  @Test
  void unsigned_isA401() throws Exception {
    EventIngest.Response r = ingest.ingest(new Req("{\"type\":\"signup\",\"userId\":\"u1\"}"));
    assertThat(r.status()).isEqualTo(401);
    assertThat(json(r).get("reason").asText()).isEqualTo("MISSING_HEADERS");
  }

  @Test
  void tamperedBody_isA401AndNothingIsTracked() throws Exception {
    Req r = signed("msg_1", "{\"type\":\"signup\",\"userId\":\"u1\"}");
    Req tampered = new Req("{\"type\":\"signup\",\"userId\":\"u2\"}");
    r.headers.forEach(tampered::header);
    assertThat(ingest.ingest(tampered).status()).isEqualTo(401);
    assertThat(marketing.stats().received()).isZero();
  }

  @Test
  void replayedWebhookId_isAnsweredDuplicateWithoutReprocessing() throws Exception {
    Req first = signed("msg_ce", "{\"type\":\"signup\",\"userId\":\"u1\",\"id\":\"e1\"}");
    assertThat(ingest.ingest(first).status()).isEqualTo(202);
    EventIngest.Response again = ingest.ingest(first);
    assertThat(again.status()).isEqualTo(200);
    assertThat(marketing.stats().received()).isEqualTo(1);
  }

  @Test
  void unsignedMode_acceptsWithoutHeaders() {
    EventIngest open = new EventIngest(marketing, null, IngestOptions.DEFAULTS);
    assertThat(open.ingest(new Req("{\"type\":\"signup\",\"userId\":\"u1\"}")).status()).isEqualTo(202);
  }

  // ------------------------------------------------------------------ Segment

  @Test
  void segmentTrack_mapsEventNamePropertiesAndMessageId() throws Exception {
    EventIngest.Response r = ingest.ingest(signed("msg_s", "{\"type\":\"track\",\"event\":\"Feature Used\","
        + "\"userId\":\"u7\",\"messageId\":\"seg-1\",\"timestamp\":\"2024-05-01T12:00:00.000+02:00\","
        + "\"properties\":{\"feature_name\":\"export\",\"session_id\":\"s1\"}}"));
    assertThat(r.status()).isEqualTo(202);
    assertThat(json(r).get("eventId").asText()).isEqualTo("seg-1");
    assertThat(processed()).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo("feature_used");
      assertThat(e.userId()).isEqualTo("u7");
      assertThat(e.sessionId()).isEqualTo("s1");
      assertThat(e.timestamp()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
      assertThat(e.getString("feature_name")).contains("export");
    });
  }

  @Test
  void segmentTrack_mappedEventName() throws Exception {
    ingest.ingest(signed("msg_s", "{\"type\":\"track\",\"event\":\"Signed Up\",\"userId\":\"u7\","
        + "\"messageId\":\"seg-2\"}"));
    assertThat(processed()).extracting(MarketingEvent::type).containsExactly("signup");
  }

  @Test
  void segmentTrack_sameMessageIdTwice_isOneEvent() throws Exception {
    String body = "{\"type\":\"track\",\"event\":\"Signed Up\",\"userId\":\"u7\",\"messageId\":\"seg-3\"}";
    assertThat(ingest.ingest(signed("msg_a", body)).status()).isEqualTo(202);
    assertThat(ingest.ingest(signed("msg_b", body)).status()).isEqualTo(200);
    assertThat(processed()).hasSize(1);
  }

  @Test
  void segmentTrack_anonymousIdStandsInForUserId() throws Exception {
    ingest.ingest(signed("msg_s", "{\"type\":\"track\",\"event\":\"Viewed\",\"anonymousId\":\"anon-1\","
        + "\"messageId\":\"seg-4\"}"));
    assertThat(processed()).extracting(MarketingEvent::userId).containsExactly("anon-1");
  }

  @Test
  void segmentIdentify_setsTraitsWithContextTimezone() throws Exception {
    EventIngest.Response r = ingest.ingest(signed("msg_i", "{\"type\":\"identify\",\"userId\":\"u8\","
        + "\"messageId\":\"seg-5\",\"traits\":{\"email\":\"ada@example.com\",\"plan\":\"pro\"},"
        + "\"context\":{\"timezone\":\"Europe/Berlin\"}}"));
    assertThat(r.status()).isEqualTo(202);
    assertThat(json(r).get("call").asText()).isEqualTo("identify");
    processed();
    assertThat(marketing.contact("u8").email()).contains("ada@example.com");
    assertThat(marketing.contact("u8").timezone().getId()).isEqualTo("Europe/Berlin");
  }

  @Test
  void segmentIdentify_invalidEmail_isA400NamingTheTrait() throws Exception {
    EventIngest.Response r = ingest.ingest(signed("msg_i", "{\"type\":\"identify\",\"userId\":\"u8\","
        + "\"messageId\":\"seg-6\",\"traits\":{\"email\":\"not-an-email\"}}"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(json(r).get("error").asText()).isEqualTo("invalid_trait");
    assertThat(json(r).get("trait").asText()).isEqualTo("email");
  }

  @Test
  void segmentPage_becomesAPageView() throws Exception {
    ingest.ingest(signed("msg_p", "{\"type\":\"page\",\"name\":\"Pricing\",\"userId\":\"u9\","
        + "\"messageId\":\"seg-7\",\"properties\":{\"url\":\"https://acme.dev/pricing\"}}"));
    assertThat(processed()).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo("page_view");
      assertThat(e.getString("name")).contains("Pricing");
      assertThat(e.getString("url")).contains("https://acme.dev/pricing");
    });
  }

  @Test
  void segmentBatch_keepsOrderAcrossIdentifyAndTrack() throws Exception {
    EventIngest.Response r = ingest.ingest(signed("msg_batch", "{\"batch\":["
        + "{\"type\":\"identify\",\"userId\":\"u10\",\"messageId\":\"b1\",\"traits\":{\"email\":\"u10@example.com\"}},"
        + "{\"type\":\"track\",\"event\":\"Signed Up\",\"userId\":\"u10\",\"messageId\":\"b2\"},"
        + "{\"type\":\"alias\",\"userId\":\"u10\",\"previousId\":\"x\",\"messageId\":\"b3\"}],"
        + "\"context\":{\"locale\":\"de-DE\"}}"));
    JsonNode n = json(r);
    assertThat(r.status()).isEqualTo(202);
    assertThat(n.get("accepted").asInt()).isEqualTo(2);
    assertThat(n.get("results").get(2).get("error").asText()).isEqualTo("unsupported_call");
    List<MarketingEvent> events = processed();
    assertThat(events).extracting(MarketingEvent::type).containsExactly("signup");
    assertThat(marketing.contact("u10").locale().toLanguageTag()).isEqualTo("de-DE");
  }

  @Test
  void snakeCase() {
    assertThat(SegmentCalls.snakeCase("Signed Up")).isEqualTo("signed_up");
    assertThat(SegmentCalls.snakeCase("orderCompleted")).isEqualTo("order_completed");
    assertThat(SegmentCalls.snakeCase("Payment-Failed!")).isEqualTo("payment_failed");
  }

  // ------------------------------------------------------------------ CloudEvents

  @Test
  void cloudEventStructured_isMapped() throws Exception {
    Req r = signed("msg_c", "{\"specversion\":\"1.0\",\"id\":\"ce-1\",\"source\":\"/acme/app\","
        + "\"type\":\"com.acme.user.signup\",\"subject\":\"u11\",\"time\":\"2024-05-01T12:00:00Z\","
        + "\"datacontenttype\":\"application/json\",\"data\":{\"email_verified\":true}}");
    r.header("content-type", "application/cloudevents+json");
    EventIngest.Response resp = ingest.ingest(r);
    assertThat(resp.status()).isEqualTo(202);
    assertThat(json(resp).get("eventId").asText()).isEqualTo("ce-1");
    assertThat(processed()).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo("signup");
      assertThat(e.userId()).isEqualTo("u11");
      assertThat(e.timestamp()).isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
      assertThat(e.getBoolean("email_verified")).contains(true);
    });
  }

  @Test
  void cloudEventBinary_isMappedWithPrefixStrippedAndUserIdExtension() throws Exception {
    Req r = signed("msg_c", "{\"feature_name\":\"export\"}");
    r.header("ce-specversion", "1.0").header("ce-id", "ce-2").header("ce-source", "/acme/app")
        .header("ce-type", "com.acme.feature_usage").header("ce-userid", "u12").header("ce-sessionid", "s9");
    EventIngest.Response resp = ingest.ingest(r);
    assertThat(resp.status()).isEqualTo(202);
    assertThat(processed()).singleElement().satisfies(e -> {
      assertThat(e.id()).isEqualTo("ce-2");
      assertThat(e.type()).isEqualTo("feature_usage");
      assertThat(e.userId()).isEqualTo("u12");
      assertThat(e.sessionId()).isEqualTo("s9");
      assertThat(e.getString("feature_name")).contains("export");
    });
  }

  @Test
  void cloudEventBatch_tracksEach() throws Exception {
    Req r = signed("msg_c", "[{\"specversion\":\"1.0\",\"id\":\"ce-3\",\"source\":\"/a\",\"type\":\"signup\","
        + "\"subject\":\"u13\"},{\"specversion\":\"1.0\",\"id\":\"ce-4\",\"source\":\"/a\",\"type\":\"upgrade\","
        + "\"subject\":\"u13\",\"data\":{\"plan\":\"pro\"}}]");
    r.header("content-type", "application/cloudevents-batch+json");
    EventIngest.Response resp = ingest.ingest(r);
    assertThat(resp.status()).isEqualTo(202);
    assertThat(processed()).extracting(MarketingEvent::type).containsExactly("signup", "upgrade");
  }

  @Test
  void cloudEventWithoutId_isA400() throws Exception {
    Req r = signed("msg_c", "{\"specversion\":\"1.0\",\"source\":\"/a\",\"type\":\"signup\",\"subject\":\"u\"}");
    r.header("content-type", "application/cloudevents+json");
    EventIngest.Response resp = ingest.ingest(r);
    assertThat(resp.status()).isEqualTo(400);
    assertThat(json(resp).get("error").asText()).isEqualTo("invalid_cloudevent");
  }

  @Test
  void cloudEventWithXmlData_isA415() throws Exception {
    Req r = signed("msg_c", "<signup/>");
    r.header("ce-specversion", "1.0").header("ce-id", "ce-5").header("ce-source", "/a").header("ce-type", "signup")
        .header("ce-subject", "u").header("content-type", "application/xml");
    EventIngest.Response resp = ingest.ingest(r);
    assertThat(resp.status()).isEqualTo(415);
    assertThat(json(resp).get("error").asText()).isEqualTo("unsupported_media_type");
  }
}
