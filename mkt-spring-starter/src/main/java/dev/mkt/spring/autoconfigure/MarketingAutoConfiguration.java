package dev.mkt.spring.autoconfigure;

import dev.mkt.DedupKeyStrategy;
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
public class MarketingAutoConfiguration {
  private static final Logger log = LoggerFactory.getLogger(MarketingAutoConfiguration.class);

  /** The default stores; they back off when the application has its own, or its own engine. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(Marketing.class)
  static class Stores {

    /** Caffeine dedup store, bounded by {@code mkt.dedup.max-keys}. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    DedupStore mktDedupStore(MarketingProperties properties) {
      return DedupStore.inMemory(properties.getDedup().getMaxKeys(), Clock.systemUTC());
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
      ObjectProvider<MarketingBuilderCustomizer> customizers) {
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
