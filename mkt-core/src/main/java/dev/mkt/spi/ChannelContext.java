package dev.mkt.spi;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link ChannelProvider} gets to create its {@link Channel}: its properties, the engine clock and a
 * directory of its own.
 *
 * <p>Properties are flat strings (they map from {@code mkt.channels.*} in Spring, or
 * {@code MarketingBuilder.channelProperty}). A provider {@code email.smtp} asking for {@code host} gets
 * {@code email.smtp.host} if set, else the channel-wide {@code email.host}; so settings all email providers
 * share ({@code email.from}, {@code email.templates}) are written once. Names starting with {@code product.}
 * ({@code product.name}, {@code product.url}) fall back to the unprefixed key, shared by every channel.
 */
public interface ChannelContext {

  /** The provider's id, e.g. {@code email.smtp}. */
  String providerId();

  /** The channel, e.g. {@code email}. */
  String channel();

  /**
   * {@code <providerId>.<name>}, else {@code <channel>.<name>} (else {@code <name>} for {@code product.*}); trimmed;
   * blank counts as absent.
   */
  Optional<String> property(String name);

  /** {@link #property(String)} or the default. */
  default String property(String name, String defaultValue) {
    return property(name).orElse(defaultValue);
  }

  /**
   * {@link #property(String)}, required.
   *
   * @throws ChannelConfigurationException naming the full property key, if absent
   */
  String requireProperty(String name);

  /**
   * An integer property within {@code [min, max]}.
   *
   * @throws ChannelConfigurationException naming the key and the bad value
   */
  int intProperty(String name, int defaultValue, int min, int max);

  /**
   * A duration property ({@code 30s}, {@code 5m}, {@code PT30S}).
   *
   * @throws ChannelConfigurationException naming the key and the bad value
   */
  Duration durationProperty(String name, Duration defaultValue);

  /**
   * A boolean property ({@code true}/{@code false}).
   *
   * @throws ChannelConfigurationException naming the key and the bad value
   */
  boolean booleanProperty(String name, boolean defaultValue);

  /**
   * The properties under a prefix, with the prefix removed: channel-wide ones overlaid by the provider's own.
   * {@code properties("headers")} gives {@code {X-Campaign=spring}} for {@code email.headers.X-Campaign=spring}.
   */
  Map<String, String> properties(String prefix);

  /** A {@link ChannelConfigurationException} naming {@code <providerId>.<name>} and what is wrong with it. */
  ChannelConfigurationException invalid(String name, String problem);

  /** The engine clock; channels use it for every timestamp. */
  Clock clock();

  /** A directory for this provider's files ({@code <dataDirectory>/channels/<providerId>}), created. */
  Path dataDirectory();
}
