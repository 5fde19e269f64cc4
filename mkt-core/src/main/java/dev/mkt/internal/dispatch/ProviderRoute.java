package dev.mkt.internal.dispatch;

import dev.mkt.spi.Channel;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.List;

/**
 * The providers of one channel in failover order, each behind its own circuit breaker. The first provider
 * whose breaker admits a call gets it; so the secondary only sends while the primary's breaker is open.
 */
final class ProviderRoute {
  /** One provider of the channel. */
  record Provider(String id, Channel channel, CircuitBreaker breaker) {}

  private final String channel;
  private final List<Provider> providers;

  ProviderRoute(String channel, List<Provider> providers) {
    this.channel = channel;
    this.providers = List.copyOf(providers);
  }

  String channel() {
    return channel;
  }

  List<Provider> providers() {
    return providers;
  }

  Provider primary() {
    return providers.get(0);
  }

  /** The first provider whose breaker grants a call (the grant must be completed), or {@code null}. */
  Provider pick() {
    for (Provider p : providers) {
      if (p.breaker().tryAcquirePermission()) {
        return p;
      }
    }
    return null;
  }
}
