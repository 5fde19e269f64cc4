package dev.mkt.spi;

/**
 * Makes {@link Channel}s of one kind: {@code email.smtp}, {@code email.resend}, {@code in_app.inbox}, or a host
 * application's own. Providers are found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/dev.mkt.spi.ChannelProvider} (and {@code provides} it in {@code module-info}), or
 * pass an instance to {@code MarketingBuilder.channelProvider}. A provider needs a public no-argument
 * constructor and must not do I/O in it; {@link #create} does the work.
 *
 * <p>Choosing: a channel's providers are listed in the property {@code <channel>.provider} (for example
 * {@code email.provider=smtp,resend}: SMTP first, Resend while SMTP's circuit breaker is open). Without it, the
 * provider with the highest {@link #priority()} serves the channel. See docs/spi.md.
 */
public interface ChannelProvider {

  /**
   * The provider's id: {@code <channel>.<name>}, lower case, e.g. {@code email.smtp}. Unique on the class
   * path.
   */
  String id();

  /** The channel it serves: {@code email}, {@code in_app}, {@code crm}, {@code social.linkedin}, ... */
  String channel();

  /**
   * Which provider serves a channel when {@code <channel>.provider} does not say. Higher wins; a tie is an
   * error. Default 0.
   */
  default int priority() {
    return 0;
  }

  /**
   * Creates the channel from its configuration. Called once at engine start for each provider in use.
   *
   * @throws ChannelConfigurationException naming the property, if the configuration is missing or invalid
   */
  Channel create(ChannelContext context);
}
