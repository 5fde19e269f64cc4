package dev.mkt.internal.dispatch;

import dev.mkt.Contact;
import dev.mkt.spi.Channel;
import dev.mkt.spi.ChannelContext;
import dev.mkt.spi.ChannelProvider;
import dev.mkt.spi.Delivery;
import dev.mkt.spi.DeliveryResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A channel for dispatcher tests: records every delivery and answers what the test scripts (by default
 * {@code sent}). The dispatcher is under test here, not a provider; provider tests use GreenMail and local
 * HTTP servers in mkt-channels.
 */
public final class RecordingChannel implements Channel {
  public final List<Delivery> deliveries = Collections.synchronizedList(new ArrayList<>());
  public volatile Function<Delivery, DeliveryResult> behaviour = d -> DeliveryResult.sent("m-" + d.idempotencyKey());
  public volatile boolean needsEmail = true;

  @Override
  public DeliveryResult deliver(Delivery d) {
    deliveries.add(d);
    return behaviour.apply(d);
  }

  @Override
  public Optional<String> unreachable(Contact contact) {
    return needsEmail && contact.email().isEmpty() ? Optional.of("no_address") : Optional.empty();
  }

  public List<String> keys() {
    synchronized (deliveries) {
      List<String> out = new ArrayList<>();
      deliveries.forEach(d -> out.add(d.idempotencyKey()));
      return out;
    }
  }

  /** A provider that hands out this channel. */
  public ChannelProvider provider(String id, String channel) {
    return provider(id, channel, 0);
  }

  public ChannelProvider provider(String id, String channel, int priority) {
    RecordingChannel self = this;
    return new ChannelProvider() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public String channel() {
        return channel;
      }

      @Override
      public int priority() {
        return priority;
      }

      @Override
      public Channel create(ChannelContext context) {
        return self;
      }
    };
  }
}
