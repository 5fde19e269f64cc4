package dev.mkt.spring.autoconfigure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mkt.rules.DrlRuleEngine;
import dev.mkt.rules.Triggers;
import dev.mkt.spi.RuleEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The DRL rule engine of mkt-rules, from {@code mkt.rules.*} and {@code mkt.triggers}, when mkt-rules is on the
 * class path and the application has no {@link RuleEngine} bean of its own. A DRL or trigger error fails
 * start-up with the file, line and rule of every problem.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "dev.mkt.rules.DrlRuleEngine")
@ConditionalOnBooleanProperty(name = "mkt.rules.enabled", matchIfMissing = true)
class MarketingRulesConfiguration implements BeanClassLoaderAware {
  private static final Logger log = LoggerFactory.getLogger(MarketingRulesConfiguration.class);
  private ClassLoader classLoader = MarketingRulesConfiguration.class.getClassLoader();

  @Override
  public void setBeanClassLoader(ClassLoader classLoader) {
    this.classLoader = classLoader;
  }

  /**
   * Starts compiling the rules on a background thread as soon as the bean definitions are known, so that the
   * compilation (the largest part of mkt's start-up) overlaps with the web server's creation; the rule engine
   * bean then waits for it.
   */
  @Bean
  static EarlyRulesCompilation mktEarlyRulesCompilation() {
    return new EarlyRulesCompilation();
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(RuleEngine.class)
  DrlRuleEngine mktRuleEngine(MarketingProperties properties, EarlyRulesCompilation early) {
    DrlRuleEngine engine = early.take();
    if (engine == null) {
      engine = compile(properties, classLoader);
    }
    log.info("mkt: {} rules loaded: {}", engine.ruleNames().size(), engine.ruleNames());
    return engine;
  }

  static DrlRuleEngine compile(MarketingProperties properties, ClassLoader classLoader) {
    MarketingProperties.Rules r = properties.getRules();
    DrlRuleEngine.Builder b = DrlRuleEngine.builder().seedRules(r.isSeedTriggers()).classLoader(classLoader);
    for (String location : r.getLocations()) {
      b.classpath(location);
    }
    if (r.getDirectory() != null && !r.getDirectory().isBlank()) {
      b.directory(Path.of(r.getDirectory()));
    }
    b.hotReload(r.isHotReload());
    if (!properties.getTriggers().isEmpty()) {
      b.triggers(Triggers.parse("mkt.triggers", triggersJson(properties.getTriggers())));
    }
    return b.build();
  }

  /** The triggers as the JSON list {@link Triggers#parse} reads, with property strings typed back. */
  static String triggersJson(List<MarketingProperties.Trigger> triggers) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (MarketingProperties.Trigger t : triggers) {
      Map<String, Object> m = new LinkedHashMap<>();
      put(m, "id", t.getId());
      put(m, "event", t.getEvent());
      if (!t.getCondition().isEmpty()) {
        m.put("condition", typed(t.getCondition()));
      }
      put(m, "action", t.getAction());
      put(m, "template", t.getTemplate());
      put(m, "channel", t.getChannel());
      put(m, "delay", t.getDelay());
      put(m, "priority", t.getPriority());
      put(m, "task", t.getTask());
      if (t.getOnce() != null) {
        m.put("once", t.getOnce());
      }
      list.add(m);
    }
    try {
      return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(list);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void put(Map<String, Object> m, String key, String value) {
    if (value != null && !value.isBlank()) {
      m.put(key, value);
    }
  }

  /**
   * A {@code .properties} file binds every condition value as a string; YAML binds them typed. {@code "true"} and
   * numbers are typed back so that both mean the same.
   */
  @SuppressWarnings("unchecked")
  static Object typed(Object value) {
    if (value instanceof Map) {
      Map<String, Object> out = new LinkedHashMap<>();
      ((Map<String, Object>) value).forEach((k, v) -> out.put(k, typed(v)));
      // Spring binds a YAML list inside a map as a map with keys "0", "1", ...
      if (!out.isEmpty() && out.keySet().stream().allMatch(k -> k.matches("\\d+"))) {
        return new ArrayList<>(out.values());
      }
      return out;
    }
    if (value instanceof String) {
      String s = ((String) value).trim();
      if (s.equals("true") || s.equals("false")) {
        return Boolean.valueOf(s);
      }
      if (s.matches("-?\\d{1,18}")) {
        return Long.valueOf(s);
      }
      if (s.matches("-?\\d+\\.\\d+([eE]-?\\d+)?")) {
        return Double.valueOf(s);
      }
    }
    return value;
  }
}
