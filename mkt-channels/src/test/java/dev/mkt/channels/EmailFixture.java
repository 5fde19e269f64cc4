package dev.mkt.channels;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mkt.DispatchConfig;
import dev.mkt.Marketing;
import dev.mkt.MarketingBuilder;
import dev.mkt.MarketingEvent;
import dev.mkt.OutboxEntry;
import dev.mkt.UnsubscribeTokens;
import dev.mkt.test.MutableClock;
import dev.mkt.spi.RuleEngine;
import dev.mkt.rules.DrlRuleEngine;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * An engine wired to a real SMTP server (GreenMail, on a free port) with the email settings docs/email.md shows.
 * Tests add what they need through the builder hook.
 */
public final class EmailFixture implements AutoCloseable {
  public static final String SECRET = "unsubscribe-secret-for-tests-0123456789";
  public final Path dir;
  public final MutableClock clock = MutableClock.at("2025-03-03T12:00:00Z");
  public final UnsubscribeTokens tokens = UnsubscribeTokens.custom(SECRET).clock(clock).build();
  public GreenMail smtp;
  public int smtpPort;
  public Marketing mkt;
  private int events;
  private DrlRuleEngine seedRules;

  public EmailFixture(Path dir) {
    this.dir = dir;
    startSmtp(0);
  }

  /** Starts GreenMail on {@code port} (0: a free one). */
  public void startSmtp(int port) {
    smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    smtpPort = smtp.getSmtp().getPort();
  }

  public void stopSmtp() {
    smtp.stop();
  }

  public static DispatchConfig.Builder dispatch() {
    return DispatchConfig.custom().pollInterval(Duration.ofMillis(5)).frequencyCaps()
        .unsubscribeUrl(URI.create("https://app.acme.test/mkt/unsubscribe"));
  }

  public Map<String, String> emailProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("email.from", "Acme <hello@mail.acme.test>");
    p.put("email.reply-to", "Acme Support <support@acme.test>");
    p.put("product.name", "Acme");
    p.put("product.url", "https://app.acme.test");
    p.put("email.smtp.host", "127.0.0.1");
    p.put("email.smtp.port", Integer.toString(smtpPort));
    p.put("email.smtp.security", "none");
    p.put("email.smtp.timeout", "5s");
    return p;
  }

  public Marketing start(RuleEngine rules, DispatchConfig config, UnaryOperator<MarketingBuilder> custom) {
    mkt = custom.apply(Marketing.builder().dataDirectory(dir).clock(clock).ruleEngine(rules).dispatch(config)
        .unsubscribeTokens(tokens).channelProperties(emailProperties())).build();
    return mkt;
  }

  public Marketing start(RuleEngine rules) {
    return start(rules, dispatch().build(), b -> b);
  }

  public void identify(String user, Map<String, Object> traits) {
    mkt.identify(user, traits);
  }

  /** Tracks an event of {@code type} for {@code user} with payload pairs. */
  public MarketingEvent track(String type, String user, Object... kv) {
    MarketingEvent.Builder b = MarketingEvent.builder(type, user).id("ev-" + (++events)).timestamp(clock.instant());
    for (int i = 0; i < kv.length; i += 2) {
      b.put((String) kv[i], kv[i + 1]);
    }
    MarketingEvent e = b.build();
    assertThat(mkt.track(e).isAccepted()).isTrue();
    return e;
  }

  public void settle() throws InterruptedException {
    assertThat(mkt.awaitProcessed(Duration.ofSeconds(20))).isTrue();
    assertThat(mkt.dispatch().awaitIdle(Duration.ofSeconds(30))).isTrue();
  }

  public OutboxEntry status(String key) {
    return mkt.dispatch().status(key).orElseThrow(() -> new AssertionError("no outbox entry " + key));
  }

  public MimeMessage[] received() {
    return smtp.getReceivedMessages();
  }

  /** Reads one thing (a header, the subject) from each received message, in arrival order. */
  public <T> List<T> received(MessageReader<T> read) {
    List<T> out = new ArrayList<>();
    for (MimeMessage m : received()) {
      try {
        out.add(read.apply(m));
      } catch (MessagingException e) {
        throw new AssertionError(e);
      }
    }
    return out;
  }

  /** {@link #received(MessageReader)}'s reader: jakarta-mail's getters throw checked exceptions. */
  @FunctionalInterface
  public interface MessageReader<T> {
    T apply(MimeMessage m) throws MessagingException;
  }

  /** Starts the engine on the shipped seed rules (mkt-rules' DRL); the fixture closes them. */
  public DrlRuleEngine startWithSeedRules() {
    seedRules = DrlRuleEngine.builder().seedRules(true).build();
    start(seedRules);
    return seedRules;
  }

  @Override
  public void close() {
    if (mkt != null) {
      mkt.close();
    }
    if (smtp != null) {
      smtp.stop();
    }
    if (seedRules != null) {
      seedRules.close();
    }
  }
}
