package dev.mkt.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.Marketing;
import dev.mkt.spring.testapp.TestApplication;
import dev.mkt.StandardWebhooks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The ingest endpoint over real HTTP: each Standard Webhooks test vector gets the right status. */
// The engine writes into the @TempDir until it closes: close the context before JUnit deletes it.
@DirtiesContext
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IngestHttpTest {
  static final String CURRENT = StandardWebhooks.newSecret();
  static final String PREVIOUS = StandardWebhooks.newSecret();
  @TempDir static Path dir;

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    r.add("mkt.data-directory", () -> dir.toString());
    r.add("mkt.fsync", () -> "never");
    r.add("mkt.web.events.secrets[0]", () -> CURRENT);
    r.add("mkt.web.events.secrets[1]", () -> PREVIOUS);
    r.add("mkt.web.events.max-body-size", () -> "8KB");
    r.add("mkt.rules.enabled", () -> "false");
  }

  @LocalServerPort int port;
  @Autowired Marketing marketing;
  final HttpClient http = HttpClient.newHttpClient();

  HttpResponse<String> post(String body, String secret, String id, long timestamp, String contentType)
      throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String signature = StandardWebhooks.of(List.of(secret), Duration.ofMinutes(5), Clock.systemUTC())
        .sign(id, timestamp, bytes);
    return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/mkt/events"))
        .header("content-type", contentType).header("webhook-id", id)
        .header("webhook-timestamp", Long.toString(timestamp)).header("webhook-signature", signature)
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
  }

  HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static long now() {
    return Instant.now().getEpochSecond();
  }

  static String event(String id) {
    return "{\"id\":\"" + id + "\",\"type\":\"signup\",\"userId\":\"u-" + id + "\"}";
  }

  @Test
  void validSignature_is202WithTheTrackResult() throws Exception {
    HttpResponse<String> r = post(event("h1"), CURRENT, "msg_h1", now(), "application/json");
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
    assertThat(r.body()).contains("\"status\":\"ACCEPTED\"").contains("\"eventId\":\"h1\"");
  }

  @Test
  void rotatedSecret_previousOneStillVerifies() throws Exception {
    assertThat(post(event("h2"), PREVIOUS, "msg_h2", now(), "application/json").statusCode()).isEqualTo(202);
  }

  @Test
  void wrongSecret_is401() throws Exception {
    HttpResponse<String> r = post(event("h3"), StandardWebhooks.newSecret(), "msg_h3", now(), "application/json");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("NO_MATCHING_SIGNATURE");
  }

  @Test
  void staleTimestamp_is401() throws Exception {
    HttpResponse<String> r = post(event("h4"), CURRENT, "msg_h4", now() - 301, "application/json");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("TIMESTAMP_OUT_OF_TOLERANCE");
  }

  @Test
  void tamperedBody_is401AndNotTracked() throws Exception {
    long received = marketing.stats().received();
    byte[] signedBody = event("h5").getBytes(StandardCharsets.UTF_8);
    long ts = now();
    String signature = StandardWebhooks.of(List.of(CURRENT), Duration.ofMinutes(5), Clock.systemUTC())
        .sign("msg_h5", ts, signedBody);
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/mkt/events"))
        .header("content-type", "application/json").header("webhook-id", "msg_h5")
        .header("webhook-timestamp", Long.toString(ts)).header("webhook-signature", signature)
        .POST(HttpRequest.BodyPublishers.ofString(event("h5").replace("u-h5", "u-evil"))).build());
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(marketing.stats().received()).isEqualTo(received);
  }

  @Test
  void unsigned_is401() throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/mkt/events"))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(event("h6"))).build());
    assertThat(r.statusCode()).isEqualTo(401);
  }

  @Test
  void duplicate_is200() throws Exception {
    assertThat(post(event("h7"), CURRENT, "msg_h7a", now(), "application/json").statusCode()).isEqualTo(202);
    HttpResponse<String> again = post(event("h7"), CURRENT, "msg_h7b", now(), "application/json");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.body()).contains("DUPLICATE");
  }

  @Test
  void invalidEvent_is400WithATypedBody() throws Exception {
    HttpResponse<String> r = post("{\"type\":\"signup\"}", CURRENT, "msg_h8", now(), "application/json");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("\"error\":\"invalid_event\"").contains("\"reason\":\"MISSING_USER_ID\"");
  }

  @Test
  void oversizedBody_is413() throws Exception {
    String big = "{\"type\":\"signup\",\"userId\":\"u\",\"payload\":{\"x\":\"" + "a".repeat(9000) + "\"}}";
    HttpResponse<String> r = post(big, CURRENT, "msg_h9", now(), "application/json");
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).contains("payload_too_large");
  }

  @Test
  void segmentPayload_is202() throws Exception {
    HttpResponse<String> r = post("{\"type\":\"track\",\"event\":\"Signed Up\",\"userId\":\"u-s\","
        + "\"messageId\":\"seg-h\"}", CURRENT, "msg_h10", now(), "application/json");
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(r.body()).contains("\"eventId\":\"seg-h\"");
  }

  @Test
  void cloudEventBinaryMode_is202() throws Exception {
    byte[] data = "{\"plan\":\"pro\"}".getBytes(StandardCharsets.UTF_8);
    long ts = now();
    String signature = StandardWebhooks.of(List.of(CURRENT), Duration.ofMinutes(5), Clock.systemUTC())
        .sign("msg_h11", ts, data);
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/mkt/events"))
        .header("content-type", "application/json").header("ce-specversion", "1.0").header("ce-id", "ce-h11")
        .header("ce-source", "/test").header("ce-type", "upgrade").header("ce-subject", "u-ce")
        .header("webhook-id", "msg_h11").header("webhook-timestamp", Long.toString(ts))
        .header("webhook-signature", signature).POST(HttpRequest.BodyPublishers.ofByteArray(data)).build());
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(r.body()).contains("\"eventId\":\"ce-h11\"");
  }
}
