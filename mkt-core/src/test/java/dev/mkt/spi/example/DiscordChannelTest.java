package dev.mkt.spi.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.mkt.DispatchConfig;
import dev.mkt.Marketing;
import dev.mkt.MarketingEvent;
import dev.mkt.OutboxState;
import dev.mkt.internal.dispatch.TestRules;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docs/spi.md example, end to end: found by ServiceLoader (META-INF/services in this module's test
 * resources), configured by one property, and posting to a local server that answers like Discord's webhook
 * endpoint (JSON {@code content}, 204 No Content; 400 for an empty message).
 */
class DiscordChannelTest {
  @TempDir Path dir;
  HttpServer discord;
  final List<JsonNode> posted = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startDiscord() throws Exception {
    discord = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    discord.createContext("/api/webhooks/123/token", ex -> {
      JsonNode body = new ObjectMapper().readTree(ex.getRequestBody());
      boolean ok = ex.getRequestMethod().equals("POST")
          && ex.getRequestHeaders().getFirst("Content-Type").startsWith("application/json")
          && body.path("content").isTextual() && !body.path("content").asText().isEmpty();
      if (ok) {
        posted.add(body);
      }
      byte[] err = "{\"message\": \"Cannot send an empty message\", \"code\": 50006}".getBytes();
      ex.sendResponseHeaders(ok ? 204 : 400, ok ? -1 : err.length);
      if (!ok) {
        ex.getResponseBody().write(err);
      }
      ex.close();
    });
    discord.start();
  }

  @AfterEach
  void stopDiscord() {
    discord.stop(0);
  }

  @Test
  void aHostChannel_isDiscovered_configured_andDelivers() throws Exception {
    String url = "http://127.0.0.1:" + discord.getAddress().getPort() + "/api/webhooks/123/token";
    try (Marketing mkt = Marketing.builder().dataDirectory(dir).ruleEngine(new TestRules())
        .dispatch(DispatchConfig.custom().pollInterval(Duration.ofMillis(5)).build())
        .channelProperty("discord.url", url).build()) {
      MarketingEvent e = MarketingEvent.builder(TestRules.ACTION, "u1").id("launch-1")
          .put("channel", "discord").put("template", "launch").put("vars", Map.of("text", "We shipped dark mode"))
          .build();
      mkt.track(e);
      assertThat(mkt.awaitProcessed(Duration.ofSeconds(10))).isTrue();
      assertThat(mkt.dispatch().awaitIdle(Duration.ofSeconds(10))).isTrue();
      assertThat(mkt.dispatch().status("k:launch-1").orElseThrow().state()).isEqualTo(OutboxState.SENT);
      assertThat(posted).extracting(n -> n.get("content").asText()).containsExactly("We shipped dark mode");
    }
  }
}
