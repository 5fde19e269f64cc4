package dev.mkt.internal.dispatch;

import dev.mkt.internal.Durations;
import dev.mkt.spi.ChannelConfigurationException;
import dev.mkt.spi.ChannelContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The {@link ChannelContext} of one provider. */
final class DefaultChannelContext implements ChannelContext {
  static final String CONFIG_ANCHOR = "docs/spi.md#provider-configuration";
  /** Unprefixed keys under this prefix are defaults for every channel. */
  static final String SHARED_PREFIX = "product.";

  private final String providerId;
  private final String channel;
  private final Map<String, String> properties;
  private final Clock clock;
  private final Path dataRoot;

  DefaultChannelContext(String providerId, String channel, Map<String, String> properties, Clock clock,
      Path dataRoot) {
    this.providerId = providerId;
    this.channel = channel;
    this.properties = properties;
    this.clock = clock;
    this.dataRoot = dataRoot;
  }

  @Override
  public String providerId() {
    return providerId;
  }

  @Override
  public String channel() {
    return channel;
  }

  @Override
  public Optional<String> property(String name) {
    String v = properties.get(providerId + "." + name);
    if (v == null || v.isBlank()) {
      v = properties.get(channel + "." + name);
    }
    if ((v == null || v.isBlank()) && name.startsWith(SHARED_PREFIX)) {
      v = properties.get(name); // product.name, product.url: shared by every channel
    }
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  @Override
  public String requireProperty(String name) {
    return property(name).orElseThrow(() -> new ChannelConfigurationException(
        "channel provider " + providerId + " needs the property " + providerId + "." + name + " (or " + channel
            + "." + name + "), which is not set; see " + CONFIG_ANCHOR));
  }

  @Override
  public int intProperty(String name, int defaultValue, int min, int max) {
    Optional<String> v = property(name);
    if (v.isEmpty()) {
      return defaultValue;
    }
    try {
      int n = Integer.parseInt(v.get());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw invalid(name, "must be an integer in [" + min + ", " + max + "], but was '" + v.get() + "'");
  }

  @Override
  public Duration durationProperty(String name, Duration defaultValue) {
    Optional<String> v = property(name);
    if (v.isEmpty()) {
      return defaultValue;
    }
    try {
      return Durations.parse(v.get());
    } catch (IllegalArgumentException e) {
      throw invalid(name, "must be a duration like 30s, 5m or PT30S, but was '" + v.get() + "'");
    }
  }

  @Override
  public boolean booleanProperty(String name, boolean defaultValue) {
    Optional<String> v = property(name);
    if (v.isEmpty()) {
      return defaultValue;
    }
    if (v.get().equalsIgnoreCase("true")) {
      return true;
    }
    if (v.get().equalsIgnoreCase("false")) {
      return false;
    }
    throw invalid(name, "must be true or false, but was '" + v.get() + "'");
  }

  @Override
  public Map<String, String> properties(String prefix) {
    Map<String, String> out = new TreeMap<>();
    String cp = channel + "." + prefix + ".";
    String pp = providerId + "." + prefix + ".";
    properties.forEach((k, v) -> {
      if (k.startsWith(cp)) {
        out.put(k.substring(cp.length()), v);
      }
    });
    properties.forEach((k, v) -> {
      if (k.startsWith(pp)) {
        out.put(k.substring(pp.length()), v);
      }
    });
    return out;
  }

  @Override
  public ChannelConfigurationException invalid(String name, String problem) {
    String key = properties.containsKey(providerId + "." + name) || !properties.containsKey(channel + "." + name)
        ? providerId + "." + name : channel + "." + name;
    return new ChannelConfigurationException(key + " " + problem + "; see " + CONFIG_ANCHOR);
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Path dataDirectory() {
    Path dir = dataRoot.resolve("channels").resolve(providerId);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    return dir;
  }
}
