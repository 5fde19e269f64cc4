package dev.mkt.channels.email;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mkt.OutboxState;
import dev.mkt.channels.EmailFixture;
import dev.mkt.internal.dispatch.TestRules;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SMTP transport: kept-open pooled connections, SMTPS with AUTH, STARTTLS never downgraded. */
class SmtpTransportTest {
  @TempDir Path dir;
  EmailFixture f;

  @BeforeEach
  void setUp() {
    f = new EmailFixture(dir);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private void sendTo(int users) {
    for (int i = 0; i < users; i++) {
      f.identify("u" + i, Map.of("email", "u" + i + "@example.com"));
      f.track(TestRules.ACTION, "u" + i, "key", "k" + i, "template", "welcome_v1");
    }
  }

  @Test
  void manyEmails_reuseAFewKeptOpenConnections() throws Exception {
    try (CountingProxy proxy = new CountingProxy(f.smtpPort)) {
      f.start(new TestRules(), EmailFixture.dispatch().build(), b -> b
          .channelProperty("email.smtp.port", Integer.toString(proxy.port()))
          .channelProperty("email.smtp.pool-size", "2"));
      sendTo(40);
      f.settle();
      assertThat(f.received()).hasSize(40);
      assertThat(proxy.connections.get()).isBetween(1, 2);
    }
  }

  @Test
  void aConnection_isRenewedAfterMaxMessages() throws Exception {
    try (CountingProxy proxy = new CountingProxy(f.smtpPort)) {
      f.start(new TestRules(), EmailFixture.dispatch().build(), b -> b
          .channelProperty("email.smtp.port", Integer.toString(proxy.port()))
          .channelProperty("email.smtp.pool-size", "1")
          .channelProperty("email.smtp.max-messages-per-connection", "10"));
      sendTo(40);
      f.settle();
      assertThat(f.received()).hasSize(40);
      assertThat(proxy.connections.get()).isEqualTo(4);
    }
  }

  @Test
  void smtps_withAuthentication_delivers() throws Exception {
    GreenMail smtps = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS));
    smtps.setUser("hello@mail.acme.test", "acme-mailer", "s3cret-password");
    smtps.start();
    try {
      f.start(new TestRules(), EmailFixture.dispatch().build(), b -> b
          .channelProperty("email.smtp.host", "127.0.0.1")
          .channelProperty("email.smtp.port", Integer.toString(smtps.getSmtps().getPort()))
          .channelProperty("email.smtp.security", "smtps")
          .channelProperty("email.smtp.ssl-trust", "*")
          .channelProperty("email.smtp.check-server-identity", "false")
          .channelProperty("email.smtp.username", "acme-mailer")
          .channelProperty("email.smtp.password", "s3cret-password"));
      sendTo(1);
      f.settle();
      assertThat(f.status("k0").state()).isEqualTo(OutboxState.SENT);
      assertThat(smtps.getReceivedMessages()).hasSize(1);
    } finally {
      smtps.stop();
    }
  }

  @Test
  void aWrongPassword_isRetried_withAnAuthReason() throws Exception {
    GreenMail smtps = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS));
    smtps.setUser("hello@mail.acme.test", "acme-mailer", "s3cret-password");
    smtps.start();
    try {
      f.start(new TestRules(), EmailFixture.dispatch().build(), b -> b
          .channelProperty("email.smtp.port", Integer.toString(smtps.getSmtps().getPort()))
          .channelProperty("email.smtp.security", "smtps")
          .channelProperty("email.smtp.ssl-trust", "*")
          .channelProperty("email.smtp.check-server-identity", "false")
          .channelProperty("email.smtp.username", "acme-mailer")
          .channelProperty("email.smtp.password", "wrong"));
      sendTo(1);
      f.settle();
      assertThat(f.status("k0").state()).isEqualTo(OutboxState.RETRYING);
      assertThat(f.status("k0").reason()).startsWith("smtp_auth_failed: 127.0.0.1:");
      assertThat(smtps.getReceivedMessages()).isEmpty();
    } finally {
      smtps.stop();
    }
  }

  @Test
  void starttls_isRequired_soAServerWithoutIt_getsNoPlainTextMail() throws Exception {
    f.start(new TestRules(), EmailFixture.dispatch().build(), b -> b
        .channelProperty("email.smtp.security", "starttls")); // GreenMail's plain SMTP does not offer STARTTLS
    sendTo(1);
    f.settle();
    assertThat(f.received()).isEmpty();
    assertThat(f.status("k0").state()).isEqualTo(OutboxState.RETRYING);
    assertThat(f.status("k0").reason()).contains("STARTTLS");
  }
}
