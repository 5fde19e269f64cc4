package dev.mkt.channels.email;

import dev.mkt.spi.Channel;
import dev.mkt.spi.ChannelContext;
import dev.mkt.spi.ChannelProvider;
import jakarta.mail.Session;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;

/**
 * {@code email.smtp}: email over SMTP with jakarta-mail (Angus), through kept-open pooled connections. The
 * default email provider (priority 100).
 *
 * <p>Properties ({@code email.smtp.*}, see docs/email.md): {@code host} (default {@code localhost}),
 * {@code port} (25 / 587 with STARTTLS / 465 with SMTPS), {@code security} = {@code starttls} (default; required,
 * never falls back to plain text) | {@code smtps} | {@code none}, {@code username}, {@code password},
 * {@code ssl-trust} (hosts whose certificate is trusted without a CA, for test servers), {@code check-server-identity}
 * (true; false only for test servers with a certificate for another name), {@code pool-size} (8),
 * {@code max-messages-per-connection} (500), {@code timeout} (30s), {@code envelope-from} (the bounce address,
 * {@code MAIL FROM}), {@code ehlo} (the name given in EHLO), plus the shared {@code email.*} settings.
 */
public final class SmtpChannelProvider implements ChannelProvider {
  public static final String ID = "email.smtp";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String channel() {
    return "email";
  }

  @Override
  public int priority() {
    return 100;
  }

  @Override
  public Channel create(ChannelContext ctx) {
    String security = ctx.property("security", "starttls").toLowerCase(Locale.ROOT);
    if (!security.equals("starttls") && !security.equals("smtps") && !security.equals("none")) {
      throw ctx.invalid("security", "must be starttls, smtps or none, but was '" + security + "'");
    }
    String host = ctx.property("host", "localhost");
    int defaultPort = security.equals("smtps") ? 465 : security.equals("starttls") ? 587 : 25;
    int port = ctx.intProperty("port", defaultPort, 1, 65535);
    String username = ctx.property("username").orElse(null);
    String password = ctx.property("password").orElse(null);
    if (username != null && password == null) {
      throw ctx.invalid("password", "must be set when " + ctx.providerId() + ".username is");
    }
    int poolSize = ctx.intProperty("pool-size", 8, 1, 256);
    int maxPerConnection = ctx.intProperty("max-messages-per-connection", 500, 1, 1_000_000);
    Duration timeout = ctx.durationProperty("timeout", Duration.ofSeconds(30));
    EmailComposer composer = new EmailComposer(EmailSettings.from(ctx));
    JakartaMail.preferAngusStreamProvider();

    String protocol = security.equals("smtps") ? "smtps" : "smtp";
    String p = "mail." + protocol + ".";
    Properties props = new Properties();
    props.put("mail.transport.protocol", protocol);
    props.put(p + "host", host);
    props.put(p + "port", Integer.toString(port));
    props.put(p + "connectiontimeout", Long.toString(timeout.toMillis()));
    props.put(p + "timeout", Long.toString(timeout.toMillis()));
    props.put(p + "writetimeout", Long.toString(timeout.toMillis()));
    props.put(p + "auth", Boolean.toString(username != null));
    if (security.equals("starttls")) {
      props.put(p + "starttls.enable", "true");
      props.put(p + "starttls.required", "true");
    }
    if (!security.equals("none")) {
      props.put(p + "ssl.checkserveridentity", Boolean.toString(ctx.booleanProperty("check-server-identity", true)));
      ctx.property("ssl-trust").ifPresent(t -> props.put(p + "ssl.trust", t));
    }
    ctx.property("envelope-from").ifPresent(f -> props.put(p + "from", f));
    ctx.property("ehlo").ifPresent(h -> props.put(p + "localhost", h));
    Session session = Session.getInstance(props);
    SmtpTransportPool pool = new SmtpTransportPool(session, protocol, host, port, username, password, poolSize,
        maxPerConnection, 10_000);
    return new SmtpChannel(composer, session, pool, ctx.clock(), timeout.toMillis(), host + ":" + port);
  }
}
