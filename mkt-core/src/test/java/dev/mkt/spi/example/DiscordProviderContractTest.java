package dev.mkt.spi.example;

import dev.mkt.ActionType;
import dev.mkt.spi.ChannelProvider;
import dev.mkt.spi.ChannelProviderContract;
import java.util.Map;

class DiscordProviderContractTest extends ChannelProviderContract {
  @Override
  protected ChannelProvider provider() {
    return new DiscordChannelProvider();
  }

  @Override
  protected Map<String, String> validProperties() {
    return Map.of("discord.url", "http://127.0.0.1:9/api/webhooks/1/t");
  }

  @Override
  protected boolean rendersTemplates() {
    return false;
  }

  @Override
  protected ActionType actionType() {
    return ActionType.POST_SOCIAL;
  }
}
