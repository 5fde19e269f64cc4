package dev.mkt.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mkt.DispatchConfig;
import dev.mkt.Marketing;
import dev.mkt.MarketingBuilder;
import dev.mkt.spi.Channel;
import dev.mkt.spi.ChannelConfigurationException;
import dev.mkt.spi.ChannelContext;
import dev.mkt.spi.ChannelProvider;
import dev.mkt.spi.DeliveryResult;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ServiceLoader discovery: isolation of broken providers, and one clear message for each kind of mistake. */
class ChannelDiscoveryTest {
  static final String SERVICES = "META-INF/services/" + ChannelProvider.class.getName();

  @TempDir Path dir;

  /** A class loader whose only provider registrations are {@code classNames}. */
  private ClassLoader registering(String... classNames) throws IOException {
    Path f = dir.resolve("cp").resolve(SERVICES);
    Files.createDirectories(f.getParent());
    Files.write(f, List.of(classNames));
    URL url = f.toUri().toURL();
    return new ClassLoader(getClass().getClassLoader()) {
      @Override
      public Enumeration<URL> getResources(String name) throws IOException {
        return name.equals(SERVICES) ? Collections.enumeration(List.of(url)) : super.getResources(name);
      }
    };
  }

  private MarketingBuilder builder(ClassLoader loader, Set<String> templates) {
    return Marketing.builder().dataDirectory(dir.resolve("data")).channelClassLoader(loader)
        .ruleEngine(new TestRules(templates)).startDispatcher(false);
  }

  private static String name(Class<?> c) {
    return c.getName();
  }

  @Test
  void brokenProviders_areSkipped_andDoNotHideTheWorkingOnes() throws Exception {
    ClassLoader cl = registering("dev.mkt.NoSuchProvider", name(Exploding.class), name(NotAProvider.class),
        name(BadId.class), name(Alpha.class));
    ChannelRegistry.Discovery d = ChannelRegistry.discover(cl, List.of());
    assertThat(d.found()).extracting(ChannelRegistry.Found::id).containsExactly("email.alpha");
    assertThat(d.broken()).hasSize(4);
    assertThat(String.join("\n", d.broken()))
        .contains("dev.mkt.NoSuchProvider").contains("Exploding").contains("NotAProvider").contains("Email-SMTP");
    try (Marketing mkt = builder(cl, Set.of("email/welcome_v1")).build()) {
      assertThat(mkt.dispatch().channel("email", AlphaChannel.class)).isPresent();
    }
  }

  @Test
  void aMissingProvider_failsAtStart_listingWhatWasFound_andLinkingTheDocs() throws Exception {
    ClassLoader cl = registering(name(Exploding.class), name(InAppOnly.class));
    assertThatThrownBy(() -> builder(cl, Set.of("email/welcome_v1")).build())
        .isInstanceOf(ChannelConfigurationException.class)
        .hasMessageContaining("no channel provider serves channel 'email'")
        .hasMessageContaining("found: in_app.only")
        .hasMessageContaining("broken (not loaded)").hasMessageContaining("Exploding")
        .hasMessageContaining("docs/spi.md#missing-provider");
  }

  @Test
  void anExplicitlyChosenProviderThatIsAbsent_failsAtStart() throws Exception {
    ClassLoader cl = registering(name(Alpha.class));
    assertThatThrownBy(() -> builder(cl, Set.of()).channelProperty("email.provider", "gamma").build())
        .isInstanceOf(ChannelConfigurationException.class)
        .hasMessageContaining("email.provider names 'email.gamma'")
        .hasMessageContaining("found: email.alpha")
        .hasMessageContaining("docs/spi.md#missing-provider");
  }

  @Test
  void twoProvidersWithTheSameId_failAtStart_namingBoth() throws Exception {
    ClassLoader cl = registering(name(Alpha.class), name(AlphaAgain.class));
    assertThatThrownBy(() -> builder(cl, Set.of("email/welcome_v1")).build())
        .isInstanceOf(ChannelConfigurationException.class)
        .hasMessageContaining("duplicate channel provider id 'email.alpha'")
        .hasMessageContaining(Alpha.class.getName()).hasMessageContaining(AlphaAgain.class.getName())
        .hasMessageContaining("docs/spi.md#duplicate-provider");
  }

  @Test
  void twoProvidersOfAChannelWithEqualPriority_needAChoice() throws Exception {
    ClassLoader cl = registering(name(Alpha.class), name(Beta.class));
    assertThatThrownBy(() -> builder(cl, Set.of("email/welcome_v1")).build())
        .isInstanceOf(ChannelConfigurationException.class)
        .hasMessageContaining("several channel providers serve channel 'email' with the same priority 0")
        .hasMessageContaining("email.provider=<name>")
        .hasMessageContaining("docs/spi.md#ambiguous-provider");
    try (Marketing mkt = builder(cl, Set.of("email/welcome_v1")).channelProperty("email.provider", "beta").build()) {
      assertThat(mkt.dispatch().channel("email", BetaChannel.class)).isPresent();
    }
  }

  @Test
  void theHigherPriority_servesTheChannel_whenNothingIsChosen() throws Exception {
    ClassLoader cl = registering(name(Alpha.class), name(Preferred.class));
    try (Marketing mkt = builder(cl, Set.of("email/welcome_v1")).build()) {
      assertThat(mkt.dispatch().channel("email", BetaChannel.class)).isPresent();
    }
  }

  @Test
  void aProviderRejectingItsConfiguration_failsAtStart_withItsMessage() throws Exception {
    ClassLoader cl = registering(name(NeedsHost.class));
    assertThatThrownBy(() -> builder(cl, Set.of()).channelProperty("email.needs.port", "abc").build())
        .isInstanceOf(ChannelConfigurationException.class)
        .hasMessageContaining("email.needs.port must be an integer in [1, 65535], but was 'abc'")
        .hasMessageContaining("docs/spi.md#provider-configuration");
    assertThatThrownBy(() -> builder(cl, Set.of()).channelProperty("email.provider", "needs").build())
        .isInstanceOf(ChannelConfigurationException.class)
        .hasMessageContaining("needs the property email.needs.host (or email.host)");
  }

  @Test
  void aProviderThatThrowsOnCreate_failsAtStart_asBroken() throws Exception {
    ClassLoader cl = registering(name(CrashesOnCreate.class));
    assertThatThrownBy(() -> builder(cl, Set.of("email/x")).build())
        .isInstanceOf(ChannelConfigurationException.class)
        .hasMessageContaining("email.crashes").hasMessageContaining("failed to start")
        .hasMessageContaining("docs/spi.md#broken-provider");
  }

  @Test
  void reviewRequired_onAChannelNoProviderServes_failsAtStart() throws Exception {
    ClassLoader cl = registering(name(Alpha.class));
    assertThatThrownBy(() -> builder(cl, Set.of())
        .dispatch(DispatchConfig.custom().reviewRequired("linkedin").build()).build())
        .isInstanceOf(ChannelConfigurationException.class)
        .hasMessageContaining("reviewRequired names 'linkedin'")
        .hasMessageContaining("docs/spi.md#review-required");
  }

  @Test
  void aTemplateTheRulesUse_thatNoChannelCanRender_failsAtStart() throws Exception {
    ClassLoader cl = registering(name(Alpha.class));
    assertThatThrownBy(() -> builder(cl, Set.of("email/welcome_v1", "email/missing_v9")).build())
        .isInstanceOf(ChannelConfigurationException.class)
        .hasMessageContaining("email.alpha: no template 'missing_v9'")
        .hasMessageNotContaining("'welcome_v1'")
        .hasMessageContaining("docs/email.md#templates");
  }

  // ---------------------------------------------------------------- providers used above

  /** A working email provider. */
  public static class Alpha implements ChannelProvider {
    @Override
    public String id() {
      return "email.alpha";
    }

    @Override
    public String channel() {
      return "email";
    }

    @Override
    public Channel create(ChannelContext context) {
      return new AlphaChannel();
    }
  }

  /** Alpha's channel: knows one template. */
  public static class AlphaChannel implements Channel {
    @Override
    public DeliveryResult deliver(dev.mkt.spi.Delivery delivery) {
      return DeliveryResult.sent(null);
    }

    @Override
    public List<String> checkTemplates(Set<String> templates) {
      return templates.stream().filter(t -> !t.equals("welcome_v1")).map(t -> "no template '" + t + "'").toList();
    }
  }

  /** Another class claiming Alpha's id. */
  public static class AlphaAgain extends Alpha {
  }

  /** A second email provider. */
  public static class Beta implements ChannelProvider {
    @Override
    public String id() {
      return "email.beta";
    }

    @Override
    public String channel() {
      return "email";
    }

    @Override
    public Channel create(ChannelContext context) {
      return new BetaChannel();
    }
  }

  /** Beta's channel. */
  public static class BetaChannel implements Channel {
    @Override
    public DeliveryResult deliver(dev.mkt.spi.Delivery delivery) {
      return DeliveryResult.sent(null);
    }
  }

  /** Beta's id with a higher priority. */
  public static class Preferred extends Beta {
    @Override
    public String id() {
      return "email.preferred";
    }

    @Override
    public int priority() {
      return 10;
    }
  }

  /** An in-app provider only. */
  public static class InAppOnly implements ChannelProvider {
    @Override
    public String id() {
      return "in_app.only";
    }

    @Override
    public String channel() {
      return "in_app";
    }

    @Override
    public Channel create(ChannelContext context) {
      return new BetaChannel();
    }
  }

  /** Its constructor throws: ServiceLoader reports "could not be instantiated". */
  public static class Exploding extends Alpha {
    public Exploding() {
      throw new IllegalStateException("static init of a broken jar");
    }
  }

  /** Registered, but not a ChannelProvider. */
  public static class NotAProvider {
  }

  /** An id that is not lower-case dotted. */
  public static class BadId extends Alpha {
    @Override
    public String id() {
      return "Email-SMTP";
    }
  }

  /** Validates its properties through the context. */
  public static class NeedsHost implements ChannelProvider {
    @Override
    public String id() {
      return "email.needs";
    }

    @Override
    public String channel() {
      return "email";
    }

    @Override
    public Channel create(ChannelContext ctx) {
      ctx.intProperty("port", 25, 1, 65535);
      ctx.requireProperty("host");
      return new BetaChannel();
    }
  }

  /** Throws something unexpected in create. */
  public static class CrashesOnCreate implements ChannelProvider {
    @Override
    public String id() {
      return "email.crashes";
    }

    @Override
    public String channel() {
      return "email";
    }

    @Override
    public Channel create(ChannelContext ctx) {
      throw new NoClassDefFoundError("com/example/MissingDependency");
    }
  }
}
