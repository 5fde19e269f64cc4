package dev.mkt.spi.example;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mkt.spi.Channel;
import dev.mkt.spi.ChannelContext;
import dev.mkt.spi.ChannelProvider;
import dev.mkt.spi.DeliveryResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

// docs/spi.md, "Add your own channel": this file is the example, compiled and tested (DiscordChannelTest).
public final class DiscordChannelProvider implements ChannelProvider {
  @Override public String id() { return "discord.webhook"; }
  @Override public String channel() { return "discord"; }

  @Override
  public Channel create(ChannelContext ctx) {
    URI url = URI.create(ctx.requireProperty("url"));                    // discord.webhook.url or discord.url
    HttpClient http = HttpClient.newHttpClient();
    ObjectMapper json = new ObjectMapper();
    return delivery -> {
      try {
        String text = delivery.action().vars().getOrDefault("text", delivery.action().template()).toString();
        HttpRequest post = HttpRequest.newBuilder(url).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(Map.of("content", text)))).build();
        HttpResponse<String> r = http.send(post, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 == 2) return DeliveryResult.sent(null);
        if (r.statusCode() == 429 || r.statusCode() >= 500) return DeliveryResult.retryLater("HTTP " + r.statusCode());
        return DeliveryResult.failed("HTTP " + r.statusCode() + " " + r.body());   // dead letter, with the reason
      } catch (IOException e) {
        return DeliveryResult.retryLater(e.toString());                   // backoff, breaker, failover
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return DeliveryResult.retryLater("interrupted");
      }
    };
  }
}
