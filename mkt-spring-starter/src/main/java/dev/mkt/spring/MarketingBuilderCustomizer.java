package dev.mkt.spring;

import dev.mkt.MarketingBuilder;

/**
 * Adjusts the {@link MarketingBuilder} after the {@code mkt.*} properties and the store beans were applied, and
 * before the engine is built. Declare one or more as beans; they run in {@link org.springframework.core.Ordered}
 * order.
 *
 * <pre>{@code
 * @Bean
 * MarketingBuilderCustomizer biggerBatches() {
 *   return builder -> builder.reactorBatch(2048);
 * }
 * }</pre>
 */
@FunctionalInterface
public interface MarketingBuilderCustomizer {

  /** Customizes the builder. */
  void customize(MarketingBuilder builder);
}
