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

/** {@code InApp} passes mkt-core's {@link ChannelProviderContract}. */
class InAppProviderContractTest extends ChannelProviderContract {
  @Override
  protected ChannelProvider provider() {
    return new InAppInboxProvider();
  }

  @Override
  protected Map<String, String> validProperties() {
    return Map.of();
  }

  @Override
  protected boolean rendersTemplates() {
    return true;
  }

  @Override
  protected ActionType actionType() {
    return ActionType.IN_APP;
  }
}
