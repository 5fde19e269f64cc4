package dev.mkt.spring.autoconfigure;

import dev.mkt.rules.DrlRuleEngine;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Compiles the DRL rules on a background thread, started once the bean definitions are final (when this
 * post-processor runs) and only if the starter's own {@code mktRuleEngine} is going to be created. The compile
 * then overlaps with the rest of the context's start (the web server above all); {@link #take()} hands the
 * result to the bean, rethrowing a compilation failure unchanged, so a broken DRL fails start-up exactly as it
 * would inline. An engine never taken (the context failed first) is closed.
 */
final class EarlyRulesCompilation implements BeanFactoryPostProcessor, EnvironmentAware, DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(EarlyRulesCompilation.class);

  private Environment environment;
  private volatile CompletableFuture<DrlRuleEngine> future;
  private volatile boolean taken;

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    if (environment == null || !beanFactory.containsBeanDefinition("mktRuleEngine")) {
      return;
    }
    MarketingProperties properties;
    try {
      properties = Binder.get(environment).bindOrCreate("mkt", MarketingProperties.class);
    } catch (RuntimeException e) {
      return; // binding fails again, with Spring's report, when the properties bean is created
    }
    ClassLoader classLoader = beanFactory.getBeanClassLoader() != null ? beanFactory.getBeanClassLoader()
        : EarlyRulesCompilation.class.getClassLoader();
    CompletableFuture<DrlRuleEngine> f = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        f.complete(MarketingRulesConfiguration.compile(properties, classLoader));
      } catch (Throwable e) {
        f.completeExceptionally(e);
      }
    }, "mkt-rules-compile");
    t.setDaemon(true);
    t.start();
    future = f;
  }

  /** The compiled engine, or {@code null} if no early compilation was started. */
  DrlRuleEngine take() {
    CompletableFuture<DrlRuleEngine> f = future;
    if (f == null) {
      return null;
    }
    try {
      DrlRuleEngine engine = f.join();
      taken = true;
      return engine;
    } catch (CompletionException e) {
      taken = true;
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw e;
    }
  }

  @Override
  public void destroy() {
    CompletableFuture<DrlRuleEngine> f = future;
    if (f != null && !taken) {
      f.thenAccept(engine -> {
        log.debug("closing rules compiled for a context that did not start");
        engine.close();
      });
    }
  }
}
