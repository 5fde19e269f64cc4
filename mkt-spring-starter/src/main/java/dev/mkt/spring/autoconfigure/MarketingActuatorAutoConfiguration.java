package dev.mkt.spring.autoconfigure;

import dev.mkt.Marketing;
import dev.mkt.spi.EventLog;
import dev.mkt.spring.actuate.DrlRulesControl;
import dev.mkt.spring.actuate.MarketingEndpoint;
import dev.mkt.spring.actuate.RulesControl;
import dev.mkt.spring.actuate.MarketingMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Micrometer metrics and the {@code marketing} actuator endpoint, each when its library is present. The health
 * indicator is in {@code MarketingHealthAutoConfiguration}, because its Spring Boot API differs between Boot 3
 * and 4.
 */
@AutoConfiguration(after = MarketingAutoConfiguration.class)
@ConditionalOnBean(Marketing.class)
public class MarketingActuatorAutoConfiguration {

  /** Meters over the engine's counters. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterBinder.class)
  static class Metrics {
    @Bean
    @ConditionalOnMissingBean
    MarketingMetrics mktMetrics(Marketing marketing, ObjectProvider<EventLog> eventLog) {
      return new MarketingMetrics(marketing, eventLog.getIfUnique());
    }
  }

  /** {@code /actuator/marketing}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
  static class Actuator {
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    MarketingEndpoint mktEndpoint(Marketing marketing, ObjectProvider<RulesControl> rules) {
      return new MarketingEndpoint(marketing, rules.getIfAvailable());
    }
  }

  /** Rule inspection and reload, when the engine runs mkt-rules' DRL engine. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "dev.mkt.rules.DrlRuleEngine")
  static class DrlRules {
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(type = "dev.mkt.rules.DrlRuleEngine")
    RulesControl mktRulesControl(dev.mkt.rules.DrlRuleEngine engine) {
      return new DrlRulesControl(engine);
    }
  }
}
