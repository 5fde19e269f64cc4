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

/** {@code CrmWebhook} passes mkt-core's {@link ChannelProviderContract}. */
class CrmWebhookProviderContractTest extends ChannelProviderContract {
  @Override
  protected ChannelProvider provider() {
    return new CrmWebhookProvider();
  }

  @Override
  protected Map<String, String> validProperties() {
    return Map.of("crm.webhook.url", "http://127.0.0.1:9/hooks", "crm.webhook.secret",
        "whsec_" + java.util.Base64.getEncoder().encodeToString("a-webhook-secret-long-enough-1234".getBytes()));
  }

  @Override
  protected boolean rendersTemplates() {
    return false;
  }

  @Override
  protected ActionType actionType() {
    return ActionType.CREATE_TASK;
  }
}
