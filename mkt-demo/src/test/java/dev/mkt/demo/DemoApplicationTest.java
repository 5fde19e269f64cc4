package dev.mkt.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.Marketing;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The demo starts on embedded defaults, serves its pages and takes signups through the product API. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DemoApplicationTest {
  @TempDir static Path dir;

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    r.add("mkt.data-directory", () -> dir.toString());
    r.add("demo.simulator.enabled", () -> "false");
  }

  @LocalServerPort int port;
  @Autowired Marketing marketing;
  @Autowired DevInbox inbox;
  @Autowired TrafficSimulator simulator;
  final HttpClient http = HttpClient.newHttpClient();

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> postJson(String path, String json) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void overviewPage_showsTheEngineCounters() throws Exception {
    HttpResponse<String> r = get("/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("Acme Notes").contains("events received").contains("Simulator");
  }

  @Test
  void signupApi_identifiesAndTracks() throws Exception {
    HttpResponse<String> r = postJson("/api/signup",
        "{\"userId\":\"demo-u1\",\"email\":\"ada@example.test\",\"name\":\"Ada\",\"emailVerified\":true}");
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(marketing.awaitProcessed(Duration.ofSeconds(10))).isTrue();
    assertThat(marketing.contact("demo-u1").email()).contains("ada@example.test");
  }

  @Test
  void verifiedSignup_welcomeEmailLandsInTheDevInbox_andShowsOnTheInboxPage() throws Exception {
    int before = inbox.count();
    postJson("/api/signup",
        "{\"userId\":\"demo-u3\",\"email\":\"grace@example.test\",\"name\":\"Grace\",\"emailVerified\":true}");
    assertThat(inbox.await(before + 1, 30_000)).isTrue();
    DevInbox.Mail mail = inbox.mails().get(0);
    assertThat(mail.to()).contains("grace@example.test");
    assertThat(mail.subject()).contains("Grace");
    assertThat(mail.listUnsubscribe()).contains("/mkt/unsubscribe?token=");
    assertThat(get("/inbox").body()).contains("grace@example.test");
    assertThat(get("/inbox/" + mail.index()).body()).contains("List-Unsubscribe");
  }

  @Test
  void signupApi_invalidEmail_is400() throws Exception {
    HttpResponse<String> r = postJson("/api/signup", "{\"userId\":\"demo-u2\",\"email\":\"nope\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("INVALID_EMAIL");
  }

  @Test
  void inboxPage_isServed() throws Exception {
    HttpResponse<String> r = get("/inbox");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("Development inbox");
  }

  @Test
  void simulatedUser_eventsReachTheEngineThroughBothPaths() throws Exception {
    long before = marketing.stats().appended();
    simulator.start(URI.create("http://127.0.0.1:" + port + "/mkt/events"));
    try {
      simulator.arrive(TrafficSimulator.Story.POWER_USER, System.currentTimeMillis());
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (marketing.stats().appended() < before + 8 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
    } finally {
      simulator.stop();
    }
    assertThat(marketing.stats().appended() - before).isGreaterThanOrEqualTo(8);
    assertThat(simulator.eventsViaHttp()).isPositive();
    assertThat(simulator.failures()).isZero();
  }
}
