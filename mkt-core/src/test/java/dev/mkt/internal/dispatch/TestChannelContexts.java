package dev.mkt.internal.dispatch;

import dev.mkt.spi.ChannelContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** The engine's {@link ChannelContext}, for provider tests that create channels without an engine. */
public final class TestChannelContexts {
  private TestChannelContexts() {}

  public static ChannelContext of(String providerId, String channel, Map<String, String> properties, Clock clock,
      Path dataDirectory) {
    return new DefaultChannelContext(providerId, channel, properties, clock, dataDirectory);
  }
}
