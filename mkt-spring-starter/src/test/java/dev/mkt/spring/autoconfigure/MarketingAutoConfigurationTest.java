package dev.mkt.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.Action;
import dev.mkt.ActionType;
import dev.mkt.EventLogConfig;
import dev.mkt.FsyncPolicy;
import dev.mkt.Marketing;
import dev.mkt.MarketingEvent;
import dev.mkt.spi.DedupStore;
import dev.mkt.spi.EventLog;
import dev.mkt.spi.Outbox;
import dev.mkt.spi.RuleEngine;
import dev.mkt.spi.StateStore;
import dev.mkt.spring.MarketingBuilderCustomizer;
import dev.mkt.spring.actuate.MarketingEndpoint;
import dev.mkt.spring.actuate.MarketingHealthIndicator;
import dev.mkt.spring.actuate.MarketingMetrics;
import dev.mkt.spring.web.EventIngest;
import dev.mkt.StandardWebhooks;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.function.RouterFunction;

class MarketingAutoConfigurationTest {
  static final AutoConfigurations ALL = AutoConfigurations.of(MarketingAutoConfiguration.class,
      MarketingWebAutoConfiguration.class, MarketingActuatorAutoConfiguration.class,
      MarketingHealthAutoConfiguration.class);

  @TempDir Path dir;

  ApplicationContextRunner runner() {
    return new ApplicationContextRunner().withConfiguration(ALL)
        .withPropertyValues("mkt.data-directory=" + dir, "mkt.fsync=never", "mkt.rules.enabled=false",
            "management.endpoints.web.exposure.include=*");
  }

  WebApplicationContextRunner webRunner() {
    return new WebApplicationContextRunner().withConfiguration(ALL)
        .withPropertyValues("mkt.data-directory=" + dir, "mkt.fsync=never", "mkt.rules.enabled=false");
  }

  // ------------------------------------------------------------------ defaults

  @Test
  void defaults_giveAnEngineOnEmbeddedStores() {
    runner().run(ctx -> {
      assertThat(ctx).hasNotFailed().hasSingleBean(Marketing.class).hasSingleBean(DedupStore.class)
          .hasSingleBean(EventLog.class).hasSingleBean(StateStore.class).hasSingleBean(MarketingMetrics.class)
          .hasSingleBean(MarketingEndpoint.class).hasSingleBean(MarketingHealthIndicator.class);
      Marketing mkt = ctx.getBean(Marketing.class);
      assertThat(mkt.track(MarketingEvent.builder("signup", "u1").id("e1").build()).isAccepted()).isTrue();
      assertThat(ctx.getBean(DedupStore.class).contains("e1")).isTrue();
      assertThat(ctx.getBean(EventLog.class).endOffset()).isEqualTo(1);
    });
    assertThat(dir.resolve("log")).isDirectory();
  }

  @Test
  void defaults_mapPropertiesOntoTheEngine() {
    runner().withPropertyValues("mkt.dedup.key=session-and-type").run(ctx -> {
      Marketing mkt = ctx.getBean(Marketing.class);
      assertThat(mkt.track(MarketingEvent.builder("feature_usage", "u1").sessionId("s1").build()).isAccepted())
          .isTrue();
      assertThat(mkt.track(MarketingEvent.builder("feature_usage", "u1").sessionId("s1").build()).isDuplicate())
          .isTrue();
    });
  }

  @Test
  void disabled_backsOffEntirely() {
    runner().withPropertyValues("mkt.enabled=false").run(ctx -> assertThat(ctx).hasNotFailed()
        .doesNotHaveBean(Marketing.class).doesNotHaveBean(EventLog.class));
  }

  @Test
  void webDefaults_withoutSecret_doNotServeIngest() {
    webRunner().run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(EventIngest.class)
        .doesNotHaveBean("mktEventIngestRoutes"));
  }

  @Test
  void webWithSecret_servesSignedIngest() {
    webRunner().withPropertyValues("mkt.web.events.secrets[0]=" + StandardWebhooks.newSecret()).run(ctx -> {
      assertThat(ctx).hasNotFailed().hasSingleBean(StandardWebhooks.class).hasBean("mktEventIngestRoutes");
      assertThat(ctx.getBean(EventIngest.class).verifiesSignatures()).isTrue();
    });
  }

  @Test
  void web_servesUnsubscribeWithGeneratedTokenSecret() {
    webRunner().run(ctx -> {
      assertThat(ctx).hasNotFailed().hasSingleBean(dev.mkt.UnsubscribeTokens.class).hasBean("mktUnsubscribeRoutes");
      assertThat(dir.resolve("unsubscribe.key")).isRegularFile();
    });
  }

  @Test
  void webAllowUnsigned_servesIngestWithoutVerifier() {
    webRunner().withPropertyValues("mkt.web.events.allow-unsigned=true").run(ctx -> {
      assertThat(ctx).hasNotFailed().doesNotHaveBean(StandardWebhooks.class);
      assertThat(ctx.getBean(EventIngest.class).verifiesSignatures()).isFalse();
    });
  }

  @Test
  void nonWebApplication_hasNoIngest() {
    runner().withPropertyValues("mkt.web.events.allow-unsigned=true")
        .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(EventIngest.class));
  }

  // ------------------------------------------------------------------ user overrides

  @Test
  void userDedupStore_replacesTheDefault() {
    DedupStore mine = DedupStore.inMemory(10, Duration.ofHours(1), Clock.systemUTC());
    runner().withBean("myDedup", DedupStore.class, () -> mine).run(ctx -> {
      assertThat(ctx).hasSingleBean(DedupStore.class);
      ctx.getBean(Marketing.class).track(MarketingEvent.builder("signup", "u1").id("mine-1").build());
      assertThat(mine.contains("mine-1")).isTrue();
    });
  }

  @Test
  void userEventLog_replacesTheDefault() {
    Path other = dir.resolve("elsewhere");
    runner().withBean("myLog", EventLog.class,
        () -> EventLog.embedded(EventLogConfig.custom(other).fsync(FsyncPolicy.never()).build())).run(ctx -> {
          assertThat(ctx).hasSingleBean(EventLog.class);
          ctx.getBean(Marketing.class).track(MarketingEvent.builder("signup", "u1").build());
          assertThat(ctx.getBean(EventLog.class).endOffset()).isEqualTo(1);
        });
    assertThat(other).isDirectory();
    assertThat(dir.resolve("log")).doesNotExist();
  }

  @Test
  void userStateStore_replacesTheDefault() {
    Path other = dir.resolve("my-state");
    runner().withBean("myState", StateStore.class, () -> StateStore.embedded(other)).run(ctx -> {
      assertThat(ctx).hasSingleBean(StateStore.class);
      Marketing mkt = ctx.getBean(Marketing.class);
      mkt.identify("u1", java.util.Map.of("email", "u1@example.com"));
      assertThat(mkt.awaitProcessed(Duration.ofSeconds(5))).isTrue();
    });
    assertThat(other).isDirectory();
    assertThat(dir.resolve("state")).doesNotExist();
  }

  @Test
  void userRuleEngineAndOutbox_receiveTheDecidedActions() {
    List<Action> outboxed = Collections.synchronizedList(new ArrayList<>());
    RuleEngine welcome = (e, c, a) -> List.of(Action.builder().rule("welcome").userId(e.userId())
        .type(ActionType.SEND_EMAIL).eventId(e.id()).channel("email").template("welcome_v1").notBefore(e.timestamp()).idempotencyKey("welcome:" + e.userId()).build());
    Outbox outbox = new Outbox() {
      @Override
      public int putAll(Collection<Action> actions) {
        outboxed.addAll(actions);
        return actions.size();
      }

      @Override
      public void flush() {}
    };
    runner().withBean(RuleEngine.class, () -> welcome).withBean(Outbox.class, () -> outbox).run(ctx -> {
      Marketing mkt = ctx.getBean(Marketing.class);
      mkt.track(MarketingEvent.builder("signup", "u1").build());
      assertThat(mkt.awaitProcessed(Duration.ofSeconds(5))).isTrue();
      assertThat(outboxed).singleElement().satisfies(a -> assertThat(a.template()).isEqualTo("welcome_v1"));
    });
  }

  @Test
  void customizers_runInOrderAfterTheProperties() {
    AtomicInteger calls = new AtomicInteger();
    runner().withUserConfiguration(Customizers.class)
        .withBean("counter", AtomicInteger.class, () -> calls).run(ctx -> {
          assertThat(ctx).hasNotFailed();
          Marketing mkt = ctx.getBean(Marketing.class);
          mkt.track(MarketingEvent.builder("signup", "u1").build());
          Thread.sleep(200);
          assertThat(mkt.stats().processed()).as("the customizer stopped the reactor").isZero();
          assertThat(calls.get()).isEqualTo(1);
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class Customizers {
    @Bean
    MarketingBuilderCustomizer noReactor(AtomicInteger counter) {
      return b -> {
        counter.incrementAndGet();
        b.startReactor(false);
      };
    }
  }

  @Test
  void userMarketing_replacesTheEngineAndItsStores() {
    runner().withBean(Marketing.class, () -> Marketing.builder().dataDirectory(dir.resolve("mine"))
        .fsync(FsyncPolicy.never()).build()).run(ctx -> {
          assertThat(ctx).hasSingleBean(Marketing.class).doesNotHaveBean(EventLog.class)
              .doesNotHaveBean(DedupStore.class).hasSingleBean(MarketingMetrics.class);
        });
  }

  @Test
  void userWebBeans_replaceTheDefaults() {
    StandardWebhooks mine = StandardWebhooks.of(List.of(StandardWebhooks.newSecret()), Duration.ofMinutes(1),
        Clock.systemUTC());
    webRunner().withPropertyValues("mkt.web.events.secrets[0]=" + StandardWebhooks.newSecret())
        .withBean(StandardWebhooks.class, () -> mine).run(ctx -> {
          assertThat(ctx).hasSingleBean(StandardWebhooks.class);
          assertThat(ctx.getBean(StandardWebhooks.class)).isSameAs(mine);
        });
  }

  @Test
  void userActuatorBeans_replaceTheDefaults() {
    runner().withBean("myMetrics", MarketingMetrics.class,
        () -> new MarketingMetrics(Marketing.builder().dataDirectory(dir.resolve("m")).build(), null))
        .run(ctx -> assertThat(ctx).hasSingleBean(MarketingMetrics.class).hasBean("myMetrics"));
  }

  @Test
  void userIngestAndUnsubscribeBeans_replaceTheDefaults() {
    dev.mkt.UnsubscribeTokens tokens = dev.mkt.UnsubscribeTokens.custom("a-very-long-unsubscribe-secret-of-mine-0123")
        .build();
    webRunner().withPropertyValues("mkt.web.events.allow-unsigned=true")
        .withBean("myTokens", dev.mkt.UnsubscribeTokens.class, () -> tokens)
        .withBean("myIngest", EventIngest.class, () -> new EventIngest(
            Marketing.builder().dataDirectory(dir.resolve("x")).build(), null,
            dev.mkt.spring.web.IngestOptions.DEFAULTS))
        .withBean("mktEventIngestRoutes", RouterFunction.class,
            () -> org.springframework.web.servlet.function.RouterFunctions.route()
                .POST("/my/events", r -> org.springframework.web.servlet.function.ServerResponse.accepted().build())
                .build())
        .run(ctx -> {
          assertThat(ctx).hasNotFailed().hasSingleBean(dev.mkt.UnsubscribeTokens.class)
              .hasSingleBean(EventIngest.class).hasBean("myIngest").hasBean("mktUnsubscribeRoutes");
          assertThat(ctx.getBean(dev.mkt.UnsubscribeTokens.class)).isSameAs(tokens);
          assertThat(dir.resolve("unsubscribe.key")).doesNotExist();
        });
  }

  @Test
  void userEndpointAndHealthIndicator_replaceTheDefaults() {
    runner().withBean("myEndpoint", MarketingEndpoint.class,
        () -> new MarketingEndpoint(Marketing.builder().dataDirectory(dir.resolve("y")).build(), null))
        .withBean("marketingHealthIndicator", String.class, () -> "mine")
        .run(ctx -> assertThat(ctx).hasNotFailed().hasSingleBean(MarketingEndpoint.class).hasBean("myEndpoint")
            .doesNotHaveBean(MarketingHealthIndicator.class));
  }

  // ------------------------------------------------------------------ absent optional classes

  @Test
  void withoutMicrometer_noMetrics() {
    runner().withClassLoader(new FilteredClassLoader(MeterBinder.class))
        .run(ctx -> assertThat(ctx).hasNotFailed().hasSingleBean(Marketing.class)
            .doesNotHaveBean(MarketingMetrics.class));
  }

  @Test
  void withoutActuator_noEndpoint() {
    runner().withClassLoader(new FilteredClassLoader(Endpoint.class))
        .run(ctx -> assertThat(ctx).hasNotFailed().hasSingleBean(Marketing.class)
            .doesNotHaveBean(MarketingEndpoint.class));
  }

  @Test
  void withoutSpringMvc_noIngest() {
    webRunner().withPropertyValues("mkt.web.events.allow-unsigned=true")
        .withClassLoader(new FilteredClassLoader(RouterFunction.class))
        .run(ctx -> assertThat(ctx).hasNotFailed().hasSingleBean(Marketing.class)
            .doesNotHaveBean(EventIngest.class));
  }

  @Test
  void healthIndicatorCanBeDisabled() {
    runner().withPropertyValues("management.health.marketing.enabled=false")
        .run(ctx -> assertThat(ctx).doesNotHaveBean(MarketingHealthIndicator.class));
  }

  // ------------------------------------------------------------------ bad properties

  @Test
  void negativeEmailPerHour_failsStartupNamingTheProperty() {
    runner().withPropertyValues("mkt.limits.email-per-hour=-1").run(ctx -> assertThat(ctx).hasFailed()
        .getFailure().rootCause().hasMessage("mkt.limits.email-per-hour must be > 0, but was -1"));
  }

  @Test
  void unknownFsyncPolicy_failsStartup() {
    runner().withPropertyValues("mkt.fsync=sometimes").run(ctx -> assertThat(ctx).hasFailed()
        .getFailure().rootCause().hasMessageContaining("'sometimes'"));
  }

  @Test
  void zeroDedupWindow_failsStartup() {
    runner().withPropertyValues("mkt.dedup.window=0s").run(ctx -> assertThat(ctx).hasFailed()
        .getFailure().rootCause().hasMessage("mkt.dedup.window must be > 0, but was PT0S"));
  }

  @Test
  void malformedSigningSecret_failsStartupWithoutPrintingIt() {
    webRunner().withPropertyValues("mkt.web.events.secrets[0]=whsec_dG9vLXNob3J0").run(ctx -> {
      assertThat(ctx).hasFailed();
      java.io.StringWriter trace = new java.io.StringWriter();
      ctx.getStartupFailure().printStackTrace(new java.io.PrintWriter(trace));
      assertThat(trace.toString())
          .contains("mkt.web.events.secrets: webhook signing secret [0] must decode to 24..64 bytes, "
              + "but decoded to 9")
          .doesNotContain("dG9vLXNob3J0");
    });
  }

  @Test
  void unknownChannelInReviewRequired_failsStartupNamingIt() {
    runner().withPropertyValues("mkt.review-required=linkedn").run(ctx -> {
      assertThat(ctx).hasFailed();
      assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("reviewRequired names 'linkedn'")
          .hasMessageContaining("no channel provider serves a channel of that name");
    });
  }

  @Test
  void badUnsubscribeSecret_failsStartupNamingTheProperty() {
    runner().withPropertyValues("mkt.unsubscribe.secret=short").run(ctx -> {
      assertThat(ctx).hasFailed();
      assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("secret");
      java.io.StringWriter trace = new java.io.StringWriter();
      ctx.getStartupFailure().printStackTrace(new java.io.PrintWriter(trace));
      assertThat(trace.toString()).contains("mkt.unsubscribe.secret");
    });
  }

  @Test
  void badSmtpSecurity_failsStartup() {
    runner().withPropertyValues("mkt.channels.email.smtp.security=tls").run(ctx -> assertThat(ctx).hasFailed()
        .getFailure().rootCause().hasMessage("mkt.channels.email.smtp.security must be starttls, smtps or none, "
            + "but was 'tls'"));
  }

  @Test
  void channelProperties_areFlattenedForTheProviders() {
    MarketingProperties p = new MarketingProperties();
    p.getChannels().getEmail().setFrom("Acme <hi@acme.test>");
    p.getChannels().getEmail().getSmtp().setHost("smtp.acme.test");
    p.getChannels().getEmail().getSmtp().setPort(2525);
    p.getChannels().getProperties().put("discord.webhook-url", "https://discord.test/x");
    assertThat(MarketingAutoConfiguration.channelProperties(p)).containsEntry("email.from", "Acme <hi@acme.test>")
        .containsEntry("email.smtp.host", "smtp.acme.test").containsEntry("email.smtp.port", "2525")
        .containsEntry("email.smtp.security", "starttls").containsEntry("email.templates", "classpath:templates/email")
        .containsEntry("discord.webhook-url", "https://discord.test/x");
  }

  @Test
  void emailProperties_areLeftOutUntilEmailIsConfigured() {
    assertThat(MarketingAutoConfiguration.channelProperties(new MarketingProperties())).isEmpty();
  }

  @Test
  void consentRequired_withoutAConsentGate_failsStartup() {
    runner().withPropertyValues("mkt.compliance.consent-required=true").run(ctx -> assertThat(ctx).hasFailed()
        .getFailure().rootCause().hasMessageContaining("needs a ConsentGate bean"));
  }

  @Test
  void consentRequired_withAConsentGate_starts() {
    runner().withPropertyValues("mkt.compliance.consent-required=true")
        .withBean(dev.mkt.spi.ConsentGate.class, () -> (action, contact, now) -> dev.mkt.spi.ConsentVerdict.allow())
        .run(ctx -> assertThat(ctx).hasNotFailed().hasSingleBean(Marketing.class));
  }

  @Test
  void optOutGlobalFalse_isRefused() {
    runner().withPropertyValues("mkt.compliance.opt-out-global=false").run(ctx -> assertThat(ctx).hasFailed()
        .getFailure().rootCause().hasMessageContaining("opt-out-global=false is not supported"));
  }

  @Test
  void badIngestPath_failsStartup() {
    webRunner().withPropertyValues("mkt.web.events.path=events").run(ctx -> assertThat(ctx).hasFailed()
        .getFailure().rootCause().hasMessageContaining("must be a path starting with '/'"));
  }
}
