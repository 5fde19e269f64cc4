package dev.mkt.internal.dispatch;

import dev.mkt.DispatchConfig;
import dev.mkt.spi.Channel;
import dev.mkt.spi.ChannelConfigurationException;
import dev.mkt.spi.ChannelProvider;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds channel providers (ServiceLoader, each loaded in isolation, plus the builder's), decides which serve
 * each channel in use, creates their channels behind circuit breakers, and checks the templates the rules use.
 * Every problem is one {@link ChannelConfigurationException} that lists what was found and links docs/spi.md.
 */
final class ChannelRegistry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChannelRegistry.class);

  static final String MISSING = "docs/spi.md#missing-provider";
  static final String DUPLICATE = "docs/spi.md#duplicate-provider";
  static final String AMBIGUOUS = "docs/spi.md#ambiguous-provider";
  static final String BROKEN = "docs/spi.md#broken-provider";
  static final String TEMPLATES = "docs/email.md#templates";
  static final String REVIEW = "docs/spi.md#review-required";

  /** A provider found on the class path or given to the builder. */
  record Found(ChannelProvider provider, String id, String channel, int priority, String source) {
    @Override
    public String toString() {
      return id + " (" + provider.getClass().getName() + ", " + source + ")";
    }
  }

  /** What discovery found, including what could not be loaded. */
  record Discovery(List<Found> found, List<String> broken) {
    String describe() {
      String f = found.isEmpty() ? "none" : found.stream().map(Found::toString).collect(Collectors.joining(", "));
      return "found: " + f + (broken.isEmpty() ? "" : "; broken (not loaded): " + String.join("; ", broken));
    }
  }

  private final Map<String, ProviderRoute> routes;

  private ChannelRegistry(Map<String, ProviderRoute> routes) {
    this.routes = routes;
  }

  /** No channels (for an outbox that only records decisions). */
  static ChannelRegistry none() {
    return new ChannelRegistry(Map.of());
  }

  Map<String, ProviderRoute> routes() {
    return routes;
  }

  // ------------------------------------------------------------------ discovery

  /** Loads every registered provider, each in its own try: one broken jar does not hide the others. */
  static Discovery discover(ClassLoader loader, List<ChannelProvider> programmatic) {
    List<Found> found = new ArrayList<>();
    List<String> broken = new ArrayList<>();
    for (ChannelProvider p : programmatic) {
      addFound(found, broken, p, "registered on the builder");
    }
    ServiceLoader<ChannelProvider> sl = ServiceLoader.load(ChannelProvider.class, loader);
    Iterator<ChannelProvider> it = sl.iterator();
    for (int guard = 0; guard < 10_000; guard++) {
      boolean has;
      try {
        has = it.hasNext();
      } catch (ServiceConfigurationError e) {
        broken.add(describe(e));
        log.warn("channel provider could not be loaded: {}; see {}", describe(e), BROKEN);
        continue;
      }
      if (!has) {
        break;
      }
      ChannelProvider p;
      try {
        p = it.next();
      } catch (ServiceConfigurationError | LinkageError e) {
        broken.add(describe(e));
        log.warn("channel provider could not be loaded: {}; see {}", describe(e), BROKEN);
        continue;
      }
      addFound(found, broken, p, source(p));
    }
    return new Discovery(found, broken);
  }

  private static void addFound(List<Found> found, List<String> broken, ChannelProvider p, String source) {
    String id;
    String channel;
    int priority;
    try {
      id = p.id();
      channel = p.channel();
      priority = p.priority();
    } catch (RuntimeException | LinkageError e) {
      broken.add(p.getClass().getName() + ": id()/channel() failed: " + e);
      return;
    }
    if (!ChannelNames.valid(channel) || id == null || !id.startsWith(channel + ".") || !ChannelNames.valid(id)) {
      broken.add(p.getClass().getName() + ": id '" + id + "' must be '<channel>.<name>' in lower case for channel '"
          + channel + "'");
      return;
    }
    for (Found f : found) {
      if (f.provider() == p) {
        return;
      }
    }
    found.add(new Found(p, id, channel, priority, source));
  }

  private static String describe(Throwable e) {
    String m = e.getMessage() != null ? e.getMessage() : e.toString();
    Throwable c = e.getCause();
    return c != null && c != e ? m + " (" + c + ")" : m;
  }

  private static String source(ChannelProvider p) {
    try {
      CodeSource cs = p.getClass().getProtectionDomain().getCodeSource();
      return cs != null && cs.getLocation() != null ? cs.getLocation().toString() : "unknown location";
    } catch (SecurityException e) {
      return "unknown location";
    }
  }

  // ------------------------------------------------------------------ selection and creation

  /**
   * Builds the routes of every channel in use: named by a property, by the rules' templates, by
   * {@code reviewRequired}, or served by a provider given to the builder.
   */
  static ChannelRegistry create(DispatchSettings s, Set<String> templatesReferenced, Clock clock, Path dataDir) {
    Discovery d = discover(s.classLoader() != null ? s.classLoader()
        : Thread.currentThread().getContextClassLoader(), s.providers());
    Map<String, String> props = s.channelProperties();
    DispatchConfig cfg = s.config();

    Map<String, List<Found>> byChannel = new TreeMap<>();
    for (Found f : d.found()) {
      byChannel.computeIfAbsent(f.channel(), c -> new ArrayList<>()).add(f);
    }
    Map<String, Set<String>> templates = templatesByChannel(templatesReferenced);

    Set<String> inUse = new TreeSet<>(templates.keySet());
    for (String key : props.keySet()) {
      if (key.endsWith(".provider")) {
        inUse.add(key.substring(0, key.length() - ".provider".length()));
        continue;
      }
      boolean matched = false;
      for (String ch : byChannel.keySet()) {
        if (key.startsWith(ch + ".")) {
          inUse.add(ch);
          matched = true;
        }
      }
      if (!matched && !key.startsWith(DefaultChannelContext.SHARED_PREFIX)) {
        log.warn("channel property {} belongs to no channel provider on the class path ({}); see {}", key,
            d.describe(), MISSING);
      }
    }
    for (Found f : d.found()) {
      if (f.source().equals("registered on the builder")) {
        inUse.add(f.channel());
      }
    }
    for (String r : cfg.reviewRequired()) {
      List<String> served = new ArrayList<>();
      for (String ch : byChannel.keySet()) {
        if (ch.equals(r) || ch.startsWith(r + ".") || ch.endsWith("." + r)) {
          served.add(ch);
        }
      }
      if (served.isEmpty()) {
        throw new ChannelConfigurationException("reviewRequired names '" + r + "', but no channel provider serves a"
            + " channel of that name (channels with providers: " + byChannel.keySet() + "; " + d.describe()
            + "); see " + REVIEW);
      }
      inUse.addAll(served);
    }

    Map<String, ProviderRoute> routes = new LinkedHashMap<>();
    try {
      for (String ch : inUse) {
        List<Found> chosen = choose(ch, byChannel.getOrDefault(ch, List.of()), props, d);
        List<ProviderRoute.Provider> ps = new ArrayList<>();
        try {
          for (Found f : chosen) {
            ps.add(new ProviderRoute.Provider(f.id(), start(f, props, clock, dataDir, d),
                breaker(f.id(), cfg, clock)));
          }
        } finally {
          routes.put(ch, new ProviderRoute(ch, ps)); // closed with the others if a later one fails
        }
        log.info("channel {}: {}", ch, chosen.size() == 1 ? chosen.get(0).id()
            : chosen.stream().map(Found::id).collect(Collectors.joining(" then ", "", " (failover order)")));
      }
      checkTemplates(templates, routes);
    } catch (RuntimeException e) {
      closeAll(routes.values());
      throw e;
    }
    return new ChannelRegistry(routes);
  }

  /** {@code email/welcome_v1} → {email: [welcome_v1]}. */
  static Map<String, Set<String>> templatesByChannel(Set<String> referenced) {
    Map<String, Set<String>> out = new TreeMap<>();
    for (String t : referenced) {
      int slash = t.indexOf('/');
      if (slash <= 0 || slash == t.length() - 1) {
        throw new ChannelConfigurationException("the rules reference template '" + t
            + "', which is not of the form <channel>/<template> (e.g. email/welcome_v1); see " + TEMPLATES);
      }
      out.computeIfAbsent(t.substring(0, slash), c -> new TreeSet<>()).add(t.substring(slash + 1));
    }
    return out;
  }

  private static List<Found> choose(String ch, List<Found> candidates, Map<String, String> props, Discovery d) {
    // Duplicate ids among the candidates are a class-path mistake (two versions of a jar).
    Map<String, List<Found>> byId = new LinkedHashMap<>();
    for (Found f : candidates) {
      byId.computeIfAbsent(f.id(), i -> new ArrayList<>()).add(f);
    }
    String explicit = props.get(ch + ".provider");
    List<Found> chosen = new ArrayList<>();
    if (explicit != null && !explicit.isBlank()) {
      Set<String> names = new LinkedHashSet<>();
      for (String n : explicit.split(",")) {
        String name = n.trim();
        if (!name.isEmpty()) {
          names.add(name.startsWith(ch + ".") ? name : ch + "." + name);
        }
      }
      for (String id : names) {
        List<Found> fs = byId.get(id);
        if (fs == null) {
          throw new ChannelConfigurationException(ch + ".provider names '" + id + "', but no such channel provider"
              + " is on the class path (" + d.describe() + "); add the jar that provides it, or fix the name; see "
              + MISSING);
        }
        chosen.add(unique(id, fs));
      }
      return chosen;
    }
    if (candidates.isEmpty()) {
      throw new ChannelConfigurationException("no channel provider serves channel '" + ch + "', which "
          + "the configuration or the rules use (" + d.describe() + "); add mkt-channels or your own provider to the"
          + " class path, or register one with MarketingBuilder.channelProvider; see " + MISSING);
    }
    int best = candidates.stream().mapToInt(Found::priority).max().getAsInt();
    List<Found> top = candidates.stream().filter(f -> f.priority() == best).collect(Collectors.toList());
    Set<String> topIds = top.stream().map(Found::id).collect(Collectors.toCollection(LinkedHashSet::new));
    if (topIds.size() > 1) {
      throw new ChannelConfigurationException("several channel providers serve channel '" + ch + "' with the same"
          + " priority " + best + ": " + top + "; choose with " + ch + ".provider=<name>[,<failover>] ("
          + d.describe() + "); see " + AMBIGUOUS);
    }
    chosen.add(unique(topIds.iterator().next(), byId.get(topIds.iterator().next())));
    if (candidates.size() > 1) {
      log.info("channel {}: chose {} by priority among {}; set {}.provider to choose another", ch,
          chosen.get(0).id(), candidates.stream().map(Found::id).collect(Collectors.toList()), ch);
    }
    return chosen;
  }

  private static Found unique(String id, List<Found> fs) {
    Set<String> classes = fs.stream().map(f -> f.provider().getClass().getName() + "@" + f.source())
        .collect(Collectors.toCollection(LinkedHashSet::new));
    if (classes.size() > 1) {
      throw new ChannelConfigurationException("duplicate channel provider id '" + id + "': " + fs
          + "; keep one of them on the class path (two versions of the same jar?); see " + DUPLICATE);
    }
    return fs.get(0);
  }

  private static Channel start(Found f, Map<String, String> props, Clock clock, Path dataDir, Discovery d) {
    DefaultChannelContext ctx = new DefaultChannelContext(f.id(), f.channel(), props, clock, dataDir);
    Channel c;
    try {
      c = f.provider().create(ctx);
    } catch (ChannelConfigurationException e) {
      throw e;
    } catch (RuntimeException | LinkageError e) {
      throw new ChannelConfigurationException("channel provider " + f + " failed to start: " + e + "; see "
          + BROKEN, e);
    }
    if (c == null) {
      throw new ChannelConfigurationException("channel provider " + f + " returned no channel; see " + BROKEN);
    }
    return c;
  }

  static CircuitBreaker breaker(String id, DispatchConfig cfg, Clock clock) {
    CircuitBreakerConfig c = CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(cfg.breakerWindow())
        .minimumNumberOfCalls(Math.min(cfg.breakerMinimumCalls(), cfg.breakerWindow()))
        .failureRateThreshold(cfg.breakerFailureRate())
        .waitDurationInOpenState(cfg.breakerOpenWait())
        .permittedNumberOfCallsInHalfOpenState(1)
        .automaticTransitionFromOpenToHalfOpenEnabled(false)
        .writableStackTraceEnabled(false)
        .clock(clock)
        .build();
    return CircuitBreaker.of(id, c);
  }

  private static void checkTemplates(Map<String, Set<String>> templates, Map<String, ProviderRoute> routes) {
    List<String> problems = new ArrayList<>();
    templates.forEach((ch, names) -> {
      ProviderRoute r = routes.get(ch);
      for (ProviderRoute.Provider p : r.providers()) {
        for (String problem : p.channel().checkTemplates(names)) {
          problems.add(p.id() + ": " + problem);
        }
      }
    });
    if (!problems.isEmpty()) {
      throw new ChannelConfigurationException("the rules use templates that cannot be rendered:\n  - "
          + String.join("\n  - ", problems) + "\nsee " + TEMPLATES);
    }
  }

  private static void closeAll(Collection<ProviderRoute> rs) {
    for (ProviderRoute r : rs) {
      for (ProviderRoute.Provider p : r.providers()) {
        try {
          p.channel().close();
        } catch (Exception e) {
          log.warn("closing channel {} failed: {}", p.id(), e.toString());
        }
      }
    }
  }

  @Override
  public void close() {
    closeAll(routes.values());
  }
}
