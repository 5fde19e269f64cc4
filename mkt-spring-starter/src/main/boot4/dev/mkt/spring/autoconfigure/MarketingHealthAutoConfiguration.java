package dev.mkt.spring.autoconfigure;

import dev.mkt.Marketing;
import dev.mkt.spi.DedupStore;
import dev.mkt.spi.EventLog;
import dev.mkt.spi.StateStore;
import dev.mkt.spring.actuate.MarketingHealth;
import dev.mkt.spring.actuate.MarketingHealthIndicator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;

/**
 * The {@code marketing} health indicator (Spring Boot 4 API; the Boot 3 build has its own copy of this class).
 * Disable it with {@code management.health.marketing.enabled=false}.
 */
@AutoConfiguration(after = MarketingAutoConfiguration.class)
@ConditionalOnClass({org.springframework.boot.health.contributor.HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(Marketing.class)
@ConditionalOnEnabledHealthIndicator("marketing")
public class MarketingHealthAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "marketingHealthIndicator")
  MarketingHealthIndicator marketingHealthIndicator(Marketing marketing, ObjectProvider<EventLog> eventLog,
      ObjectProvider<DedupStore> dedupStore, ObjectProvider<StateStore> stateStore,
      MarketingProperties properties) {
    return new MarketingHealthIndicator(new MarketingHealth(marketing, eventLog.getIfUnique(),
        dedupStore.getIfUnique(), stateStore.getIfUnique(), properties.getActuator().getMaxLag()));
  }
}
