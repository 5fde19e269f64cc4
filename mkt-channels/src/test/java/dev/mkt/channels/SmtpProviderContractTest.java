package dev.mkt.channels;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mkt.ActionType;
import dev.mkt.channels.crm.CrmWebhookProvider;
import dev.mkt.channels.email.ResendChannelProvider;
import dev.mkt.channels.email.SmtpChannelProvider;
import dev.mkt.channels.inapp.InAppInboxProvider;
import dev.mkt.spi.ChannelProvider;
import dev.mkt.spi.ChannelProviderContract;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** {@code Smtp} passes mkt-core's {@link ChannelProviderContract}. */
class SmtpProviderContractTest extends ChannelProviderContract {
  GreenMail smtp;

  @BeforeEach
  void start() {
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
  }

  @AfterEach
  void stop() {
    smtp.stop();
  }

  @Override
  protected ChannelProvider provider() {
    return new SmtpChannelProvider();
  }

  @Override
  protected Map<String, String> validProperties() {
    return email(Map.of("email.smtp.host", "127.0.0.1", "email.smtp.port",
        Integer.toString(smtp.getSmtp().getPort()), "email.smtp.security", "none"));
  }

  @Override
  protected boolean rendersTemplates() {
    return true;
  }

  static Map<String, String> email(Map<String, String> more) {
    Map<String, String> p = new HashMap<>(more);
    p.put("email.from", "Acme <hello@mail.acme.test>");
    return p;
  }
}
