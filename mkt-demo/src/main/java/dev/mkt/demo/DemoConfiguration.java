package dev.mkt.demo;

import dev.mkt.Marketing;
import dev.mkt.StandardWebhooks;
import java.net.URI;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/** The demo's own beans: the traffic simulator, started once the web server is up. */
@ConditionalOnBooleanProperty(name = "mkt.enabled", matchIfMissing = true)
@Configuration(proxyBeanMethods = false)
public class DemoConfiguration {

  @Bean(destroyMethod = "close")
  TrafficSimulator trafficSimulator(Marketing marketing, ObjectProvider<StandardWebhooks> signer, Environment env) {
    return new TrafficSimulator(marketing, signer.getIfAvailable(),
        env.getProperty("demo.simulator.interval", Duration.class, Duration.ofSeconds(2)),
        env.getProperty("demo.simulator.max-users", Integer.class, 500),
        env.getProperty("demo.simulator.seed", Long.class, 42L));
  }

  @EventListener
  void startSimulator(ApplicationReadyEvent event) {
    Environment env = event.getApplicationContext().getEnvironment();
    if (env.getProperty("demo.simulator.enabled", Boolean.class, true)) {
      // The port is known only now (server.port=0 picks a free one).
      URI ingest = URI.create("http://127.0.0.1:" + env.getProperty("local.server.port", "8080")
          + env.getProperty("mkt.web.events.path", "/mkt/events"));
      event.getApplicationContext().getBean(TrafficSimulator.class).start(ingest);
    }
  }
}
