package dev.mkt.demo;

import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts the {@link DevInbox} before the context refreshes and points mkt's SMTP settings at it
 * ({@code mkt.channels.email.smtp.host/port}), unless {@code demo.inbox.enabled=false}. Registered in
 * {@code META-INF/spring.factories}, so the demo's tests get the same inbox.
 */
public class DevInboxInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    ConfigurableEnvironment env = context.getEnvironment();
    if (!env.getProperty("demo.inbox.enabled", Boolean.class, true)) {
      return;
    }
    DevInbox inbox = new DevInbox(env.getProperty("demo.inbox.port", Integer.class, 0));
    env.getPropertySources().addFirst(new MapPropertySource("demoInbox", Map.of(
        "mkt.channels.email.smtp.host", "127.0.0.1",
        "mkt.channels.email.smtp.port", inbox.port(),
        "mkt.channels.email.smtp.security", "none")));
    context.getBeanFactory().registerSingleton("devInbox", inbox);
    context.addApplicationListener(event -> {
      // Closed with the context, and when the start fails: its server threads would keep the JVM alive.
      if (event instanceof org.springframework.context.event.ContextClosedEvent
          || event instanceof org.springframework.boot.context.event.ApplicationFailedEvent) {
        inbox.close();
      }
    });
  }
}
