package dev.mkt.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.Action;
import dev.mkt.FsyncPolicy;
import dev.mkt.Marketing;
import dev.mkt.MarketingEvent;
import dev.mkt.rules.DrlRuleEngine;
import dev.mkt.rules.RuleCompilationException;
import dev.mkt.spi.Outbox;
import dev.mkt.spi.RuleEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The DRL engine of mkt-rules, wired from mkt.rules.* and mkt.triggers. */
class MarketingRulesAutoConfigurationTest {
  @TempDir Path dir;
  final List<Action> outboxed = Collections.synchronizedList(new ArrayList<>());

  ApplicationContextRunner runner() {
    Outbox capture = new Outbox() {
      @Override
      public int putAll(Collection<Action> actions) {
        outboxed.addAll(actions);
        return actions.size();
      }

      @Override
      public void flush() {}
    };
    return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MarketingAutoConfiguration.class))
        .withPropertyValues("mkt.data-directory=" + dir, "mkt.fsync=never",
            "mkt.channels.email.from=Acme <hello@acme.test>", "mkt.channels.email.smtp.host=127.0.0.1",
            "mkt.channels.email.smtp.port=2525", "mkt.channels.email.smtp.security=none")
        .withBean(Outbox.class, () -> capture);
  }

  @Test
  void rulesFolderOnTheClassPath_isCompiledAndDecides() {
    runner().run(ctx -> {
      assertThat(ctx).hasNotFailed().hasSingleBean(RuleEngine.class);
      assertThat(((DrlRuleEngine) ctx.getBean(RuleEngine.class)).ruleNames()).contains("test_welcome");
      Marketing mkt = ctx.getBean(Marketing.class);
      mkt.track(MarketingEvent.builder("signup", "u1").put("email_verified", true).build());
      assertThat(mkt.awaitProcessed(Duration.ofSeconds(10))).isTrue();
      assertThat(outboxed).singleElement().satisfies(a -> assertThat(a.template()).isEqualTo("welcome_v1"));
    });
  }

  @Test
  void seedTriggers_areLoadedWhenAskedFor() {
    runner().withPropertyValues("mkt.rules.seed-triggers=true").run(ctx -> assertThat(
        ((DrlRuleEngine) ctx.getBean(RuleEngine.class)).ruleNames())
        .contains("welcome", "power_user", "payment_recovery", "winback", "churn"));
  }

  @Test
  void triggersInProperties_becomeRules_withStringValuesTypedBack() {
    runner().withPropertyValues("mkt.rules.locations=",
        "mkt.triggers[0].id=pay_recovery", "mkt.triggers[0].event=payment_failed",
        "mkt.triggers[0].condition.retry_count=1", "mkt.triggers[0].action=send_email",
        "mkt.triggers[0].template=payment_recovery_v1",
        "mkt.triggers[1].id=verified_welcome", "mkt.triggers[1].event=signup",
        "mkt.triggers[1].condition.email_verified=true", "mkt.triggers[1].action=send_email",
        "mkt.triggers[1].template=welcome_v1").run(ctx -> {
          assertThat(ctx).hasNotFailed();
          assertThat(((DrlRuleEngine) ctx.getBean(RuleEngine.class)).ruleNames())
              .contains("pay_recovery", "verified_welcome");
          Marketing mkt = ctx.getBean(Marketing.class);
          mkt.track(MarketingEvent.builder("signup", "u1").put("email_verified", true).build());
          mkt.track(MarketingEvent.builder("signup", "u2").put("email_verified", false).build());
          mkt.track(MarketingEvent.builder("payment_failed", "u3").put("retry_count", 1).build());
          mkt.track(MarketingEvent.builder("payment_failed", "u3").put("retry_count", 2).build());
          assertThat(mkt.awaitProcessed(Duration.ofSeconds(10))).isTrue();
          assertThat(outboxed).extracting(a -> a.userId() + ":" + a.template())
              .containsExactlyInAnyOrder("u1:welcome_v1", "u3:payment_recovery_v1");
        });
  }

  @Test
  void typed_turnsPropertyStringsIntoJsonValues() {
    assertThat(MarketingRulesConfiguration.typed(Map.of("a", "true", "b", "5", "c", "0.8", "d", "24h")))
        .isEqualTo(Map.of("a", true, "b", 5L, "c", 0.8, "d", "24h"));
  }

  @Test
  void brokenDrl_failsStartupWithFileAndLine() {
    runner().withPropertyValues("mkt.rules.locations=broken-rules/").run(ctx -> {
      assertThat(ctx).hasFailed();
      assertThat(ctx.getStartupFailure()).hasRootCauseInstanceOf(RuleCompilationException.class);
      assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("broken.drl").hasMessageContaining(":8");
    });
  }

  @Test
  void triggerWithAnUnknownAction_failsStartupNamingIt() {
    runner().withPropertyValues("mkt.triggers[0].id=t1", "mkt.triggers[0].event=signup",
        "mkt.triggers[0].action=send_pigeon", "mkt.triggers[0].template=x").run(ctx -> {
          assertThat(ctx).hasFailed();
          assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("send_pigeon");
        });
  }

  @Test
  void userRuleEngine_replacesTheDrlEngine() {
    runner().withBean(RuleEngine.class, RuleEngine::none).run(ctx -> {
      assertThat(ctx).hasSingleBean(RuleEngine.class);
      assertThat(ctx.getBean(RuleEngine.class)).isNotInstanceOf(DrlRuleEngine.class);
    });
  }

  @Test
  void withoutMktRules_theEngineRunsWithoutRules() {
    runner().withClassLoader(new FilteredClassLoader(DrlRuleEngine.class)).run(ctx -> {
      assertThat(ctx).hasNotFailed().hasSingleBean(Marketing.class).doesNotHaveBean(RuleEngine.class);
    });
  }

  @Test
  @SuppressWarnings("unchecked")
  void endpoint_showsTheRulesAndReloads() {
    runner().withConfiguration(AutoConfigurations.of(MarketingActuatorAutoConfiguration.class))
        .withPropertyValues("management.endpoints.web.exposure.include=marketing").run(ctx -> {
          dev.mkt.spring.actuate.MarketingEndpoint endpoint =
              ctx.getBean(dev.mkt.spring.actuate.MarketingEndpoint.class);
          Map<String, Object> rules = (Map<String, Object>) endpoint.section("rules");
          assertThat((List<String>) rules.get("loaded")).contains("test_welcome");
          assertThat(rules.get("lastReloadError")).isNull();
          Map<String, Object> reload = endpoint.act("reload", null);
          assertThat(reload).containsEntry("reloaded", true);
          assertThat((List<String>) reload.get("rules")).contains("test_welcome");
          assertThat((Map<String, Object>) endpoint.overview().get("rules")).containsKey("loaded");
        });
  }

  @Test
  void withoutMktChannels_rulesThatSendEmail_failStartupNamingTheMissingProvider() {
    // The engine's own outbox (the capture outbox of runner() records decisions only and checks no channel).
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MarketingAutoConfiguration.class))
        .withPropertyValues("mkt.data-directory=" + dir, "mkt.fsync=never")
        .withClassLoader(new FilteredClassLoader(
        new org.springframework.core.io.ClassPathResource("META-INF/services/dev.mkt.spi.ChannelProvider")))
        .run(ctx -> {
          assertThat(ctx).hasFailed();
          assertThat(ctx.getStartupFailure()).rootCause()
              .hasMessageContaining("no channel provider serves channel 'email'")
              .hasMessageContaining("add mkt-channels");
        });
  }

  @Test
  void withoutMktChannels_anEngineWithoutRulesStarts() {
    runner().withPropertyValues("mkt.rules.enabled=false").withClassLoader(new FilteredClassLoader(
        new org.springframework.core.io.ClassPathResource("META-INF/services/dev.mkt.spi.ChannelProvider")))
        .run(ctx -> assertThat(ctx).hasNotFailed().hasSingleBean(Marketing.class));
  }

  @Test
  void rulesDisabled_noRuleEngine() {
    runner().withPropertyValues("mkt.rules.enabled=false")
        .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(RuleEngine.class));
  }
}
