package dev.mkt.spi;

import dev.mkt.MarketingException;

/**
 * A channel cannot be set up: a provider is missing, broken, ambiguous, or its configuration is invalid. The
 * message names the property or provider, lists what was found, and links the section of docs/spi.md that
 * explains the fix. Thrown at engine start, never while dispatching.
 */
public class ChannelConfigurationException extends MarketingException {
  private static final long serialVersionUID = 1L;

  public ChannelConfigurationException(String message) {
    super(message);
  }

  public ChannelConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
