package dev.mkt.channels.inapp;

import dev.mkt.channels.TemplateSet;
import dev.mkt.spi.Channel;
import dev.mkt.spi.ChannelContext;
import dev.mkt.spi.ChannelProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code in_app.inbox}: the durable in-app inbox ({@link InAppInbox}). Properties ({@code in_app.*}):
 * {@code templates} (locations searched before the shipped {@code classpath:mkt/templates/in_app}),
 * {@code retention} (90d), {@code max-per-user} (100), {@code product.name}, {@code var.<name>}.
 */
public final class InAppInboxProvider implements ChannelProvider {
  public static final String ID = "in_app.inbox";
  static final String SHIPPED = "classpath:mkt/templates/in_app";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String channel() {
    return "in_app";
  }

  @Override
  public int priority() {
    return 100;
  }

  @Override
  public Channel create(ChannelContext ctx) {
    List<String> locations = new ArrayList<>();
    ctx.property("templates").ifPresent(v -> {
      for (String s : v.split(",")) {
        if (!s.isBlank()) {
          locations.add(s.trim());
        }
      }
    });
    locations.add(SHIPPED);
    TemplateSet templates;
    try {
      templates = TemplateSet.load(locations, InAppInbox.PARTS, InAppInboxProvider.class.getClassLoader());
    } catch (IllegalArgumentException e) {
      throw ctx.invalid("templates", e.getMessage());
    }
    Map<String, Object> globals = new LinkedHashMap<>(ctx.properties("var"));
    globals.put("product", Map.of("name", ctx.property("product.name", "our product"),
        "url", ctx.property("product.url", "")));
    return new InAppInbox(ctx.dataDirectory(), templates, globals, ctx.clock(),
        ctx.durationProperty("retention", Duration.ofDays(90)), ctx.intProperty("max-per-user", 100, 1, 100_000));
  }
}
