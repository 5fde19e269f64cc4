package dev.mkt.internal.dispatch;

import dev.mkt.DispatchConfig;
import dev.mkt.UnsubscribeTokens;
import dev.mkt.spi.ChannelProvider;
import dev.mkt.spi.ConsentGate;
import java.util.List;
import java.util.Map;

/**
 * What {@link dev.mkt.MarketingBuilder} collects for dispatch.
 *
 * @param config limits, caps, quiet hours, review, retries, breakers
 * @param channelProperties flat channel properties ({@code email.smtp.host=...})
 * @param providers providers registered on the builder, in addition to the discovered ones
 * @param consentGates compliance hooks, in order
 * @param unsubscribeTokens signs one-click unsubscribe links; {@code null} for none
 * @param classLoader where to discover providers; {@code null}: the thread's context class loader
 * @param start whether to start the dispatcher thread (off: actions only accumulate in the outbox)
 */
public record DispatchSettings(DispatchConfig config, Map<String, String> channelProperties,
    List<ChannelProvider> providers, List<ConsentGate> consentGates, UnsubscribeTokens unsubscribeTokens,
    ClassLoader classLoader, boolean start) {

  public DispatchSettings {
    channelProperties = Map.copyOf(channelProperties);
    providers = List.copyOf(providers);
    consentGates = List.copyOf(consentGates);
  }

  /** The defaults: discovered providers, no properties, no hooks. */
  public static DispatchSettings defaults() {
    return new DispatchSettings(DispatchConfig.ofDefaults(), Map.of(), List.of(), List.of(), null, null, true);
  }
}
