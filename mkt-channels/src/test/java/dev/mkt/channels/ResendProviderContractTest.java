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

/** {@code Resend} passes mkt-core's {@link ChannelProviderContract}. */
class ResendProviderContractTest extends ChannelProviderContract {
  ResendServer server;

  @BeforeEach
  void start() throws Exception {
    server = new ResendServer("re_contract");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Override
  protected ChannelProvider provider() {
    return new ResendChannelProvider();
  }

  @Override
  protected Map<String, String> validProperties() {
    return email(Map.of("email.resend.api-key", "re_contract", "email.resend.base-url", server.baseUrl()));
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
