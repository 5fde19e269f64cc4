package dev.mkt.channels.crm;

import dev.mkt.StandardWebhooks;

import dev.mkt.spi.Channel;
import dev.mkt.spi.ChannelContext;
import dev.mkt.spi.ChannelProvider;
import java.net.URI;
import java.time.Duration;

/**
 * {@code crm.webhook}: CRM tasks and updates as Standard-Webhooks-signed POSTs ({@link CrmWebhookChannel}).
 * Properties ({@code crm.webhook.*}): {@code url} (required, https; http only for localhost), {@code secret}
 * (required: {@code whsec_<base64>} or 24+ characters), {@code timeout} (10s), {@code include-contact} (true:
 * the task carries the contact's email, name, plan and churn score, so the CRM can act on it).
 */
public final class CrmWebhookProvider implements ChannelProvider {
  public static final String ID = "crm.webhook";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String channel() {
    return "crm";
  }

  @Override
  public int priority() {
    return 100;
  }

  @Override
  public Channel create(ChannelContext ctx) {
    String u = ctx.requireProperty("url");
    URI url;
    try {
      url = URI.create(u);
    } catch (IllegalArgumentException e) {
      throw ctx.invalid("url", "must be a URL, but was '" + u + "'");
    }
    boolean local = "localhost".equals(url.getHost()) || "127.0.0.1".equals(url.getHost());
    if (!"https".equals(url.getScheme()) && !("http".equals(url.getScheme()) && local)) {
      throw ctx.invalid("url", "must be https (http only for localhost), but was '" + u + "'");
    }
    StandardWebhooks signer;
    try {
      signer = StandardWebhooks.of(java.util.List.of(ctx.requireProperty("secret")),
          StandardWebhooks.DEFAULT_TOLERANCE, ctx.clock());
    } catch (IllegalArgumentException e) {
      throw ctx.invalid("secret", e.getMessage());
    }
    Duration timeout = ctx.durationProperty("timeout", Duration.ofSeconds(10));
    return new CrmWebhookChannel(url, signer, timeout, ctx.clock(), ctx.booleanProperty("include-contact", true));
  }
}
