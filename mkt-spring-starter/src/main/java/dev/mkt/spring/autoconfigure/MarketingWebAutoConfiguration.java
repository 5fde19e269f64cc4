package dev.mkt.spring.autoconfigure;

import dev.mkt.Marketing;
import dev.mkt.UnsubscribeTokens;
import dev.mkt.spring.web.EventIngest;
import dev.mkt.spring.web.IngestOptions;
import dev.mkt.spring.web.IngestRoutes;
import dev.mkt.StandardWebhooks;
import dev.mkt.spring.web.UnsubscribeRoutes;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * HTTP endpoints on Spring MVC: signed event ingest ({@code mkt.web.events.*}) and one-click unsubscribe
 * ({@code mkt.unsubscribe.*}).
 *
 * <p>The ingest endpoint is served only when it can be trusted: with at least one signing secret in
 * {@code mkt.web.events.secrets}, or with {@code mkt.web.events.allow-unsigned=true}. Without either it is not
 * registered, and the conditions report says why.
 */
@AutoConfiguration(after = MarketingAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(RouterFunction.class)
@ConditionalOnBean(Marketing.class)
public class MarketingWebAutoConfiguration {
  private static final Logger log = LoggerFactory.getLogger(MarketingWebAutoConfiguration.class);

  /** Event ingest. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBooleanProperty(name = "mkt.web.events.enabled", matchIfMissing = true)
  @Conditional(IngestTrusted.class)
  static class Ingest {

    /** The Standard Webhooks verifier of {@code mkt.web.events.secrets}. */
    @Bean
    @ConditionalOnMissingBean
    @Conditional(HasSecrets.class)
    StandardWebhooks mktWebhookVerifier(MarketingProperties properties) {
      MarketingProperties.Events e = properties.getWeb().getEvents();
      try {
        return StandardWebhooks.of(e.getSecrets(), e.getTolerance(), Clock.systemUTC());
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("mkt.web.events.secrets: " + ex.getMessage(), ex);
      }
    }

    @Bean
    @ConditionalOnMissingBean
    EventIngest mktEventIngest(Marketing marketing, MarketingProperties properties,
        ObjectProvider<StandardWebhooks> verifier) {
      MarketingProperties.Events e = properties.getWeb().getEvents();
      StandardWebhooks v = verifier.getIfAvailable();
      if (v == null) {
        log.warn("mkt: event ingest at {} accepts UNSIGNED requests (mkt.web.events.allow-unsigned=true)",
            e.getPath());
      }
      IngestOptions options = new IngestOptions(e.getMaxBodySize().toBytes(), e.getSegment().getEventTypes(),
          e.getSegment().isSnakeCaseEventNames(), e.getSegment().getPageType(), e.getSegment().getScreenType(),
          e.getCloudevents().getTypes(), e.getCloudevents().getTypePrefix());
      return new EventIngest(marketing, v, options);
    }

    @Bean
    @ConditionalOnMissingBean(name = "mktEventIngestRoutes")
    RouterFunction<ServerResponse> mktEventIngestRoutes(EventIngest ingest, MarketingProperties properties) {
      MarketingProperties.Events e = properties.getWeb().getEvents();
      return IngestRoutes.routes(e.getPath(), ingest, e.getMaxBodySize().toBytes());
    }
  }

  /** One-click unsubscribe, when something can verify the tokens. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBooleanProperty(name = "mkt.unsubscribe.enabled", matchIfMissing = true)
  @ConditionalOnBean(UnsubscribeTokens.class)
  static class Unsubscribe {

    @Bean
    @ConditionalOnMissingBean(name = "mktUnsubscribeRoutes")
    RouterFunction<ServerResponse> mktUnsubscribeRoutes(UnsubscribeTokens tokens, Marketing marketing,
        MarketingProperties properties) {
      return UnsubscribeRoutes.routes(properties.getUnsubscribe().getPath(), tokens, marketing);
    }
  }

  /** Secrets configured, or unsigned ingest explicitly allowed. */
  static final class IngestTrusted extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
      Binder binder = Binder.get(context.getEnvironment());
      boolean secrets = !binder.bind("mkt.web.events.secrets", Bindable.listOf(String.class))
          .orElse(List.of()).isEmpty();
      boolean unsigned = binder.bind("mkt.web.events.allow-unsigned", Boolean.class).orElse(false);
      if (secrets) {
        return ConditionOutcome.match("mkt.web.events.secrets is set");
      }
      if (unsigned) {
        return ConditionOutcome.match("mkt.web.events.allow-unsigned=true");
      }
      return ConditionOutcome.noMatch("event ingest needs mkt.web.events.secrets (Standard Webhooks whsec_...) "
          + "or mkt.web.events.allow-unsigned=true");
    }
  }

  /** At least one signing secret. */
  static final class HasSecrets extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
      boolean secrets = !Binder.get(context.getEnvironment())
          .bind("mkt.web.events.secrets", Bindable.listOf(String.class)).orElse(List.of()).isEmpty();
      return secrets ? ConditionOutcome.match("mkt.web.events.secrets is set")
          : ConditionOutcome.noMatch("no mkt.web.events.secrets");
    }
  }
}
