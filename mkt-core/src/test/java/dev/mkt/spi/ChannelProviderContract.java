package dev.mkt.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mkt.Action;
import dev.mkt.ActionType;
import dev.mkt.Contact;
import dev.mkt.test.MutableClock;
import dev.mkt.internal.dispatch.TestChannelContexts;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link ChannelProvider} must have. Extend it once per provider with a working
 * configuration (pointing at a local server where the provider talks to one).
 */
public abstract class ChannelProviderContract {
  private static final Pattern NAME = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_]+)*");

  @TempDir protected Path dir;
  protected final MutableClock clock = MutableClock.at("2025-03-03T12:00:00Z");

  protected abstract ChannelProvider provider();

  /** Properties under which {@link ChannelProvider#create} succeeds. */
  protected abstract Map<String, String> validProperties();

  /** Whether the channel renders templates (and so must refuse unknown ones). */
  protected abstract boolean rendersTemplates();

  /** The action type the channel is for. */
  protected ActionType actionType() {
    return ActionType.SEND_EMAIL;
  }

  protected ChannelContext context(Map<String, String> props) {
    ChannelProvider p = provider();
    return TestChannelContexts.of(p.id(), p.channel(), props, clock, dir);
  }

  protected Delivery delivery(String template) {
    Action a = Action.builder().idempotencyKey("contract:" + template).rule("contract").userId("u1")
        .type(actionType()).channel(provider().channel()).template(template).notBefore(clock.instant()).build();
    Contact c = new Contact("u1", Map.of("email", "ada@example.com", "name", "Ada"), null, Map.of(), Map.of());
    return new Delivery(a, c, 1, null, clock.instant());
  }

  @Test
  void itsId_isChannelDotName_inLowerCase() {
    ChannelProvider p = provider();
    assertThat(p.channel()).matches(NAME);
    assertThat(p.id()).matches(NAME).startsWith(p.channel() + ".");
  }

  @Test
  void itIsRegisteredForServiceLoader() {
    assertThat(ServiceLoader.load(ChannelProvider.class).stream().map(ServiceLoader.Provider::type))
        .contains(provider().getClass().asSubclass(ChannelProvider.class));
  }

  @Test
  void withoutConfiguration_itWorksOrNamesTheMissingProperty() {
    Throwable t = catchThrowable(() -> provider().create(context(Map.of())).close());
    if (t != null) {
      assertThat(t).isInstanceOf(ChannelConfigurationException.class)
          .hasMessageContaining(provider().channel() + ".")
          .hasMessageContaining("docs/spi.md#provider-configuration");
    }
  }

  @Test
  void aBadNumber_isRejectedNamingTheKeyAndValue() {
    Map<String, String> props = new java.util.HashMap<>(validProperties());
    props.put(provider().id() + ".timeout", "soon");
    Throwable t = catchThrowable(() -> provider().create(context(props)).close());
    if (t != null) { // providers without a timeout ignore it
      assertThat(t).isInstanceOf(ChannelConfigurationException.class).hasMessageContaining("'soon'");
    }
  }

  @Test
  void anUnknownTemplate_isReportedAtStart_andFailsTheDelivery_withoutThrowing() throws Exception {
    try (Channel ch = provider().create(context(validProperties()))) {
      if (rendersTemplates()) {
        assertThat(ch.checkTemplates(Set.of("no_such_template_v9"))).isNotEmpty()
            .allSatisfy(m -> assertThat(m).contains("no_such_template_v9"));
        DeliveryResult r = ch.deliver(delivery("no_such_template_v9"));
        assertThat(r.status()).isEqualTo(DeliveryResult.Status.FAILED);
        assertThat(r.reason()).contains("no_such_template_v9");
      } else {
        assertThat(ch.checkTemplates(Set.of("anything"))).isEmpty();
      }
    }
  }

  @Test
  void closingTwice_isHarmless() throws Exception {
    Channel ch = provider().create(context(validProperties()));
    assertThatCode(() -> {
      ch.close();
      ch.close();
    }).doesNotThrowAnyException();
  }
}
