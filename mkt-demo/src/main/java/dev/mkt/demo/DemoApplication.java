package dev.mkt.demo;

import java.lang.management.ManagementFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * A small SaaS backend ("Acme Notes") that uses mkt through the Spring Boot starter, on embedded defaults: the
 * event log and state in {@code demo.data-directory}, a development SMTP inbox in the same JVM, and a traffic
 * simulator that makes users sign up, use features, fail payments and churn.
 *
 * <p>Run it with {@code mvn -q -pl mkt-demo -am package -DskipTests -Ddemo.run} and open the URL it prints.
 */
@SpringBootApplication
public class DemoApplication {

  public static void main(String[] args) {
    SpringApplication app = new SpringApplication(DemoApplication.class);
    app.addListeners((ApplicationListener<ApplicationReadyEvent>) DemoApplication::announce);
    if (Boolean.getBoolean("demo.startup-report")) {
      // Where start-up time goes: every bean and context step, reported slowest first when ready.
      BufferingApplicationStartup startup = new BufferingApplicationStartup(20_000);
      app.setApplicationStartup(startup);
      app.addListeners((ApplicationListener<ApplicationReadyEvent>) e -> StartupReport.print(startup, 25));
    }
    app.run(args);
  }

  static void announce(ApplicationReadyEvent event) {
    Environment env = event.getApplicationContext().getEnvironment();
    long sinceJvmStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    String port = env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
    System.out.println();
    System.out.println("  mkt demo is ready in " + sinceJvmStart + " ms (JVM start to ready).");
    System.out.println("  Open http://localhost:" + port + "/");
    System.out.println();
  }
}
