package dev.mkt.spring.actuate;

import static java.util.Objects.requireNonNull;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** The {@code marketing} health contributor (Spring Boot 4 API). See {@link MarketingHealth}. */
public class MarketingHealthIndicator implements HealthIndicator {
  private final MarketingHealth health;

  public MarketingHealthIndicator(MarketingHealth health) {
    this.health = requireNonNull(health, "health");
  }

  @Override
  public Health health() {
    MarketingHealth.Report r = health.check();
    return (r.up() ? Health.up() : Health.down()).withDetails(r.details()).build();
  }
}
