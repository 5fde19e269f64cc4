package dev.mkt.spring.autoconfigure;

import dev.mkt.DedupKeyStrategy;
import dev.mkt.DispatchConfig;
import dev.mkt.DispatchLimits;
import dev.mkt.UnsubscribeTokens;
import dev.mkt.spi.ChannelProvider;
import dev.mkt.spi.ConsentGate;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import dev.mkt.EventLogConfig;
import dev.mkt.Marketing;
import dev.mkt.MarketingBuilder;
import dev.mkt.TrackingConfig;
import dev.mkt.spi.DedupStore;
import dev.mkt.spi.EventLog;
import dev.mkt.spi.Outbox;
import dev.mkt.spi.RuleEngine;
import dev.mkt.spi.StateStore;
import dev.mkt.spring.MarketingBuilderCustomizer;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The engine: a {@link Marketing} bean on embedded defaults (Caffeine dedup, the embedded event log in
 * {@code mkt.data-directory}), configured from {@code mkt.*}.
 *
 * <p>Seams: a {@link DedupStore}, {@link EventLog}, {@link StateStore}, {@link Outbox} or {@link RuleEngine} bean of the application
 * replaces the default; {@link MarketingBuilderCustomizer} beans adjust the builder last; a {@link Marketing}
 * bean of the application replaces the engine and everything it would have created.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "mkt.enabled", matchIfMissing = true)
@EnableConfigurationProperties(MarketingProperties.class)
@Import(MarketingRulesConfiguration.class)
public class MarketingAutoConfiguration implements BeanClassLoaderAware {
  private static final Logger log = LoggerFactory.getLogger(MarketingAutoConfiguration.class);
  private ClassLoader classLoader = MarketingAutoConfiguration.class.getClassLoader();

  @Override
  public void setBeanClassLoader(ClassLoader classLoader) {
    this.classLoader = classLoader;
  }

  /** The default stores; they back off when the application has its own, or its own engine. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(Marketing.class)
  static class Stores {

    /** Caffeine dedup store, bounded by {@code mkt.dedup.max-keys}, keys kept for {@code mkt.dedup.window}. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    DedupStore mktDedupStore(MarketingProperties properties) {
      return DedupStore.inMemory(properties.getDedup().getMaxKeys(), properties.getDedup().getWindow(),
          Clock.systemUTC());
    }

    /** The embedded, crash-safe event log in {@code <mkt.data-directory>/log}. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    EventLog mktEventLog(MarketingProperties properties) {
      MarketingProperties.Log p = properties.getLog();
      EventLogConfig.Builder b = EventLogConfig.custom(Path.of(properties.getDataDirectory()).resolve("log"))
          .fsync(properties.fsyncPolicy())
          .segmentBytes(p.getSegmentSize().toBytes())
          .retentionAge(p.getRetention());
      if (p.getRetentionSize() != null) {
        b.retentionBytes(p.getRetentionSize().toBytes());
      }
      return EventLog.embedded(b.build());
    }

    /** The embedded per-user state (checkpoint journal) in {@code <mkt.data-directory>/state}. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    StateStore mktStateStore(MarketingProperties properties) {
      return StateStore.embedded(Path.of(properties.getDataDirectory()).resolve("state"));
    }
  }

  /**
   * The engine. Closed (reactor stopped, log flushed) when the context closes, before the stores it uses.
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  Marketing marketing(MarketingProperties properties, DedupStore dedupStore, EventLog eventLog,
      StateStore stateStore, ObjectProvider<Outbox> outbox, ObjectProvider<RuleEngine> ruleEngine,
      ObjectProvider<UnsubscribeTokens> unsubscribeTokens, ObjectProvider<ConsentGate> consentGates,
      ObjectProvider<ChannelProvider> channelProviders, ObjectProvider<MarketingBuilderCustomizer> customizers) {
    MarketingBuilder builder = Marketing.builder()
        .dataDirectory(Path.of(properties.getDataDirectory()))
        .tracking(tracking(properties))
        .fsync(properties.fsyncPolicy())
        .dedupStore(dedupStore)
        .eventLog(eventLog)
        .stateStore(stateStore)
        .reactorBatch(properties.getReactor().getBatchSize())
        .commitInterval(properties.getReactor().getCommitInterval());
    outbox.ifAvailable(builder::outbox);
    UnsubscribeTokens tokens = unsubscribeTokens.getIfAvailable();
    builder.dispatch(dispatch(properties, tokens != null));
    if (tokens != null) {
      builder.unsubscribeTokens(tokens);
    }
    builder.channelProperties(channelProperties(properties));
    builder.channelClassLoader(classLoader); // ServiceLoader discovery of channel providers (mkt-channels)
    java.util.List<ConsentGate> gates = consentGates.orderedStream().toList();
    if (properties.getCompliance().isConsentRequired() && gates.isEmpty()) {
      throw new IllegalStateException("mkt.compliance.consent-required=true needs a ConsentGate bean that knows "
          + "your users' consents (mkt stores opt-outs and unsubscribes, not consents); see "
          + "docs/spring.md#compliance");
    }
    gates.forEach(builder::consentGate);
    channelProviders.orderedStream().forEach(builder::channelProvider);
    RuleEngine rules = ruleEngine.getIfAvailable();
    if (rules != null) {
      builder.ruleEngine(rules);
    } else {
      log.info("mkt: no rule engine configured; events are tracked and logged, no actions are decided "
          + "(add mkt-rules and a rules/ folder, or a RuleEngine bean)");
    }
    customizers.orderedStream().forEach(c -> c.customize(builder));
    return builder.build();
  }

  /**
   * Signs the links of List-Unsubscribe headers and footers, and verifies them at the unsubscribe endpoint. The
   * secret is {@code mkt.unsubscribe.secret}, or a random one generated once and kept in
   * {@code <data-directory>/unsubscribe.key} (owner-only permissions where the file system has them).
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBooleanProperty(name = "mkt.unsubscribe.enabled", matchIfMissing = true)
  UnsubscribeTokens mktUnsubscribeTokens(MarketingProperties properties) {
    MarketingProperties.Unsubscribe u = properties.getUnsubscribe();
    String secret = u.getSecret();
    UnsubscribeTokens.Builder b;
    try {
      b = secret != null && !secret.isBlank() ? UnsubscribeTokens.custom(secret)
          : UnsubscribeTokens.custom(SecretFiles.readOrCreate(
              Path.of(properties.getDataDirectory()).resolve("unsubscribe.key"), 32));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("mkt.unsubscribe.secret: " + e.getMessage(), e);
    }
    return b.ttl(u.getTokenValidity()).build();
  }

  static DispatchConfig dispatch(MarketingProperties p, boolean unsubscribeLinks) {
    MarketingProperties.Limits l = p.getLimits();
    DispatchConfig.Builder b = DispatchConfig.custom()
        .limits(DispatchLimits.custom().emailPerHour(l.getEmailPerHour())
            .socialPostPerDay(l.getSocialPostPerDay()).maxRetries(l.getMaxRetries()).build())
        .reviewRequired(p.getReviewRequired().toArray(new String[0]));
    if (unsubscribeLinks) {
      String base = p.getUnsubscribe().getBaseUrl();
      String url = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + p.getUnsubscribe().getPath();
      try {
        b.unsubscribeUrl(URI.create(url));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("mkt.unsubscribe.base-url must be an absolute http(s) URL, but was '"
            + base + "'", e);
      }
    }
    return b.build();
  }

  /** {@code mkt.channels.*} as the flat channel properties the providers read ({@code email.smtp.host}, ...). */
  static Map<String, String> channelProperties(MarketingProperties p) {
    Map<String, String> out = new LinkedHashMap<>();
    MarketingProperties.Email e = p.getChannels().getEmail();
    boolean smtp = e.getSmtp().getHost() != null && !e.getSmtp().getHost().isBlank();
    boolean resend = e.getResend().getApiKey() != null && !e.getResend().getApiKey().isBlank();
    // Email properties put the email channel in use (its provider must start), so they are passed only when
    // email is configured at all; rules that send email without it fail start-up naming what is missing.
    if (e.isEnabled() && (smtp || resend || e.getFrom() != null || e.getProvider() != null)) {
      put(out, "email.provider", e.getProvider());
      put(out, "email.from", e.getFrom());
      put(out, "email.reply-to", e.getReplyTo());
      put(out, "email.domain", e.getDomain());
      put(out, "email.product.name", e.getProductName());
      put(out, "email.product.url", e.getProductUrl());
      String templates = p.getTemplates().getLocation();
      if (templates != null && !templates.isBlank()) {
        String loc = templates.endsWith("/") ? templates : templates + "/";
        put(out, "email.templates", loc.contains(":") ? loc + "email" : "classpath:" + loc + "email");
      }
      if (smtp) {
        MarketingProperties.Smtp s = e.getSmtp();
        put(out, "email.smtp.host", s.getHost());
        put(out, "email.smtp.port", s.getPort() == null ? null : s.getPort().toString());
        put(out, "email.smtp.security", s.getSecurity());
        put(out, "email.smtp.username", s.getUsername());
        put(out, "email.smtp.password", s.getPassword());
        put(out, "email.smtp.timeout", s.getTimeout().toMillis() + "ms");
        put(out, "email.smtp.pool-size", Integer.toString(s.getPoolSize()));
      }
      if (resend) {
        put(out, "email.resend.api-key", e.getResend().getApiKey());
        put(out, "email.resend.base-url", e.getResend().getBaseUrl());
      }
    }
    p.getChannels().getProperties().forEach((k, v) -> put(out, k, v));
    return out;
  }

  private static void put(Map<String, String> m, String k, String v) {
    if (v != null && !v.isBlank()) {
      m.put(k, v);
    }
  }

  static TrackingConfig tracking(MarketingProperties properties) {
    MarketingProperties.Tracking t = properties.getTracking();
    long payload = t.getMaxPayloadSize().toBytes();
    if (payload > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("mkt.tracking.max-payload-size must be at most 16MB, but was "
          + t.getMaxPayloadSize());
    }
    return TrackingConfig.custom()
        .maxPayloadBytes((int) payload)
        .maxDepth(t.getMaxDepth())
        .maxFutureSkew(t.getMaxFutureSkew())
        .maxIdLength(t.getMaxIdLength())
        .dedupWindow(properties.getDedup().getWindow())
        .dedupKey(properties.getDedup().getKey() == MarketingProperties.DedupKey.SESSION_AND_TYPE
            ? DedupKeyStrategy.sessionAndType() : DedupKeyStrategy.eventId())
        .build();
  }
}
