package dev.mkt.channels.email;

import dev.mkt.spi.Channel;
import dev.mkt.spi.ChannelContext;
import dev.mkt.spi.ChannelProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * {@code email.resend}: email through Resend's HTTP API ({@code POST /emails}, with {@code Idempotency-Key}).
 * Priority 50: it serves email when chosen ({@code email.provider=resend}, or {@code smtp,resend} as the
 * failover of SMTP).
 *
 * <p>Properties ({@code email.resend.*}): {@code api-key} (required, {@code re_...}), {@code base-url} (default
 * {@code https://api.resend.com}), {@code timeout} (30s), plus the shared {@code email.*} settings.
 */
public final class ResendChannelProvider implements ChannelProvider {
  public static final String ID = "email.resend";
  public static final String DEFAULT_BASE_URL = "https://api.resend.com";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String channel() {
    return "email";
  }

  @Override
  public int priority() {
    return 50;
  }

  @Override
  public Channel create(ChannelContext ctx) {
    String apiKey = ctx.requireProperty("api-key");
    if (apiKey.chars().anyMatch(c -> c < 0x21 || c > 0x7E)) {
      throw ctx.invalid("api-key", "must be printable ASCII without spaces");
    }
    String base = ctx.property("base-url", DEFAULT_BASE_URL);
    URI endpoint;
    try {
      endpoint = URI.create(base.endsWith("/") ? base + "emails" : base + "/emails");
      if (!"https".equals(endpoint.getScheme()) && !"http".equals(endpoint.getScheme())) {
        throw new IllegalArgumentException("not http(s)");
      }
    } catch (IllegalArgumentException e) {
      throw ctx.invalid("base-url", "must be an http(s) URL, but was '" + base + "'");
    }
    Duration timeout = ctx.durationProperty("timeout", Duration.ofSeconds(30));
    HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
    return new ResendChannel(new EmailComposer(EmailSettings.from(ctx)), http, endpoint, apiKey, timeout,
        ctx.clock());
  }
}
