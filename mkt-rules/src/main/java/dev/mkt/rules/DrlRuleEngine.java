package dev.mkt.rules;

import static java.util.Objects.requireNonNull;

import dev.mkt.Action;
import dev.mkt.ActionType;
import dev.mkt.Activity;
import dev.mkt.ActivitySpec;
import dev.mkt.Contact;
import dev.mkt.MarketingEvent;
import dev.mkt.rules.internal.DirectoryWatcher;
import dev.mkt.rules.internal.DrlAnalysis;
import dev.mkt.rules.internal.DrlCompiler;
import dev.mkt.rules.internal.DrlSource;
import dev.mkt.rules.internal.RuleSources;
import dev.mkt.spi.RuleEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mkt's {@link RuleEngine}: Drools DRL rules deciding {@link Action}s from the current event, the user's
 * {@link Contact} and windowed {@link Activity}.
 *
 * <pre>{@code
 * DrlRuleEngine rules = DrlRuleEngine.builder()
 *     .seedRules(true)                    // the five shipped triggers
 *     .directory(Path.of("rules"))        // your .drl and triggers.yaml files
 *     .hotReload(true)
 *     .build();                           // throws RuleCompilationException with file:line:column
 * }</pre>
 *
 * <p><b>Facts.</b> Rules see an {@link Event}, the {@link Contact} and the {@link Activity}, and decide through the
 * {@code actions} global ({@link Actions}). See docs/rules.md.
 *
 * <p><b>Activity.</b> {@link #activitySpec()} declares what the reactor keeps per user: what the rules read with
 * literal arguments ({@code activity.count("feature_usage", "24h")}), plus {@link Builder#activity(ActivitySpec)}.
 *
 * <p><b>Hot reload.</b> With {@link Builder#hotReload(boolean)}, a change in the directory is recompiled on a
 * background thread. A good compile is swapped in at the next batch boundary (when the reactor calls
 * {@link #activitySpec()}), atomically; a broken one keeps the previous rules and is reported by
 * {@link #lastReloadError()}. Per-user state lives in the reactor and survives reloads.
 *
 * <p>{@link #evaluate} is serialised; the reactor calls it from one thread.
 */
public final class DrlRuleEngine implements RuleEngine {
  private static final Logger log = LoggerFactory.getLogger(DrlRuleEngine.class);

  /** The max-fires-per-event bound unless set. */
  public static final int DEFAULT_MAX_FIRES_PER_EVENT = 100;
  /** How long the directory must be quiet before a reload. */
  public static final Duration DEFAULT_RELOAD_DEBOUNCE = Duration.ofMillis(200);

  private final Builder config;
  private final List<DrlSource> fixedSources;
  private volatile Rules current;
  private final AtomicReference<Rules> pending = new AtomicReference<>();
  private final AtomicReference<RuleCompilationException> lastReloadError = new AtomicReference<>();
  private final AtomicLong reloads = new AtomicLong();
  private volatile Instant lastReload;
  private final DirectoryWatcher watcher;
  private final Object evalLock = new Object();
  private volatile boolean closed;

  /** One compiled generation of rules. */
  private static final class Rules {
    final RuleSession session;
    final ActivitySpec spec;
    final Set<String> templates;
    final List<String> ruleNames;
    final Map<String, String> generated;
    final List<RuleProblem> warnings;

    Rules(RuleSession session, ActivitySpec spec, Set<String> templates, List<String> ruleNames,
        Map<String, String> generated, List<RuleProblem> warnings) {
      this.session = session;
      this.spec = spec;
      this.templates = templates;
      this.ruleNames = ruleNames;
      this.generated = generated;
      this.warnings = warnings;
    }
  }

  private DrlRuleEngine(Builder b) {
    this.config = b;
    List<DrlSource> fixed = new ArrayList<>();
    if (b.seedRules) {
      fixed.addAll(RuleSources.seed());
    }
    for (String location : b.classpath) {
      fixed.addAll(RuleSources.fromClasspath(location, b.classLoader));
    }
    for (Path t : b.triggerFiles) {
      fixed.add(new DrlSource(RuleSources.generatedName(t.toString()), Triggers.toDrl(Triggers.parse(t), t.toString())));
    }
    if (!b.triggers.isEmpty()) {
      fixed.add(new DrlSource("triggers (generated DRL)", Triggers.toDrl(b.triggers, "configured triggers")));
    }
    fixed.addAll(b.inline);
    this.fixedSources = List.copyOf(fixed);
    this.current = compile();
    this.lastReload = Instant.now();
    if (current.ruleNames.isEmpty()) {
      log.warn("rules: no rules found (sources: {}); no actions will be decided", describeSources());
    } else {
      log.info("rules: {} rules compiled: {}", current.ruleNames.size(), current.ruleNames);
    }
    if (b.hotReload && b.directory != null) {
      this.watcher = new DirectoryWatcher(b.directory, b.reloadDebounce, this::reloadFromWatcher);
      this.watcher.start();
    } else {
      this.watcher = null;
    }
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  private String describeSources() {
    List<String> s = new ArrayList<>();
    if (config.seedRules) {
      s.add("seed");
    }
    config.classpath.forEach(c -> s.add("classpath:" + c));
    if (config.directory != null) {
      s.add(config.directory.toString());
    }
    config.triggerFiles.forEach(t -> s.add(t.toString()));
    return s.toString();
  }

  private List<DrlSource> sources() {
    List<DrlSource> all = new ArrayList<>(fixedSources);
    if (config.directory != null) {
      if (Files.isDirectory(config.directory)) {
        all.addAll(RuleSources.fromDirectory(config.directory));
      } else if (!config.directoryOptional) {
        throw new RuleCompilationException(List.of(new RuleProblem(config.directory.toString(), 0, 0, null,
            "rules directory does not exist or is not a directory", true)));
      }
    }
    return all;
  }

  private Rules compile() {
    List<DrlSource> sources = sources();
    DrlAnalysis.Result analysis = DrlAnalysis.analyze(sources);
    List<RuleProblem> problems = new ArrayList<>(analysis.problems());
    Set<String> templates = new TreeSet<>();
    for (DrlAnalysis.TemplateRef ref : analysis.templates()) {
      if (ref.type() == ActionType.CREATE_TASK || ref.type() == ActionType.UPDATE_CRM) {
        continue; // a task or CRM operation name, not a template
      }
      templates.add(ref.qualified());
      if (config.knownTemplates != null && !config.knownTemplates.contains(ref.qualified())) {
        problems.add(new RuleProblem(ref.file(), ref.line(), ref.column(), ref.rule(), "unknown template '"
            + ref.qualified() + "': the dispatcher has " + new TreeSet<>(config.knownTemplates), true));
      }
    }
    DrlCompiler.Compiled compiled;
    try {
      compiled = DrlCompiler.compile(sources, config.classLoader);
    } catch (RuleCompilationException e) {
      problems.addAll(e.problems());
      throw new RuleCompilationException(sorted(problems));
    }
    compiled.kieBase().getKiePackages().forEach(p -> p.getGlobalVariables().forEach(g -> {
      if (g.getName().equals("actions") && !g.getType().equals(Actions.class.getName())) {
        problems.add(new RuleProblem("package " + p.getName(), 0, 0, null, "global 'actions' must be of type "
            + Actions.class.getName() + ", but was " + g.getType(), true));
      }
    }));
    if (!problems.isEmpty()) {
      throw new RuleCompilationException(sorted(problems));
    }
    ActivitySpec spec = analysis.spec();
    if (config.extraActivity != null) {
      spec = spec.merge(config.extraActivity);
    }
    Map<String, String> generated = new LinkedHashMap<>();
    for (DrlSource s : sources) {
      if (s.name().endsWith("(generated DRL)")) {
        generated.put(s.name(), s.text());
      }
    }
    return new Rules(new RuleSession(compiled.kieBase(), config.maxFiresPerEvent,
        DrlAnalysis.mayInsertFacts(sources)), spec, Set.copyOf(templates),
        compiled.ruleNames(), Map.copyOf(generated), compiled.warnings());
  }

  private static List<RuleProblem> sorted(List<RuleProblem> problems) {
    List<RuleProblem> p = new ArrayList<>(problems);
    p.sort((a, b) -> a.error() != b.error() ? (a.error() ? -1 : 1)
        : a.file().equals(b.file()) ? Integer.compare(a.line(), b.line()) : a.file().compareTo(b.file()));
    return p;
  }

  @Override
  public List<Action> evaluate(MarketingEvent event, Contact contact, Activity activity) {
    synchronized (evalLock) {
      if (closed) {
        throw new IllegalStateException("the rule engine is closed");
      }
      return current.session.evaluate(event, contact, activity);
    }
  }

  /**
   * What the reactor must keep per user for these rules. The same instance until the rules change; a reload is
   * swapped in here, at the reactor's batch boundary, so the state and the rules always agree.
   */
  @Override
  public ActivitySpec activitySpec() {
    if (pending.get() != null) {
      synchronized (evalLock) {
        Rules next = pending.getAndSet(null);
        if (next != null && !closed) {
          Rules old = current;
          current = next;
          old.session.dispose();
          log.info("rules: reloaded, {} rules now live", next.ruleNames.size());
        }
      }
    }
    return current.spec;
  }

  /** {@code channel/template} for every literal template the rules ask for (not task or CRM names). */
  @Override
  public Set<String> templatesReferenced() {
    return current.templates;
  }

  /** The names of the live rules, sorted. */
  public List<String> ruleNames() {
    return current.ruleNames;
  }

  /** Warnings of the live rules' compilation. */
  public List<RuleProblem> warnings() {
    return current.warnings;
  }

  /** The DRL generated from trigger configuration, by source name (e.g. {@code rules/triggers.yaml (generated DRL)}). */
  public Map<String, String> generatedDrl() {
    return current.generated;
  }

  /**
   * Recompiles now (e.g. from an actuator endpoint). On success the new rules go live at the next batch; on
   * failure the previous rules stay and the error is also kept as {@link #lastReloadError()}.
   *
   * @return the names of the rules that will go live
   * @throws RuleCompilationException if the rules do not compile
   */
  public List<String> reload() {
    Rules next;
    try {
      next = compile();
    } catch (RuleCompilationException e) {
      lastReloadError.set(e);
      throw e;
    } catch (RuntimeException e) {
      RuleCompilationException rce = new RuleCompilationException(List.of(new RuleProblem(describeSources(), 0, 0,
          null, "reload failed: " + e, true)));
      lastReloadError.set(rce);
      throw rce;
    }
    Rules replaced = pending.getAndSet(next);
    if (replaced != null) {
      replaced.session.dispose();
    }
    lastReloadError.set(null);
    reloads.incrementAndGet();
    lastReload = Instant.now();
    return next.ruleNames;
  }

  private void reloadFromWatcher() {
    try {
      List<String> names = reload();
      log.info("rules: recompiled {} rules after a change in {}", names.size(), config.directory);
    } catch (RuleCompilationException e) {
      log.error("rules: reload failed; the previous rules stay live. {}", e.getMessage());
    }
  }

  /** The error of the last reload, if it failed (cleared by a good reload). */
  public Optional<RuleCompilationException> lastReloadError() {
    return Optional.ofNullable(lastReloadError.get());
  }

  /** How many reloads compiled successfully. */
  public long reloads() {
    return reloads.get();
  }

  /** When the rules were last compiled successfully (wall clock; for operations only). */
  public Instant lastReload() {
    return lastReload;
  }

  /** Stops the watcher and releases the Drools session. */
  @Override
  public void close() {
    if (watcher != null) {
      watcher.close();
    }
    synchronized (evalLock) {
      if (closed) {
        return;
      }
      closed = true;
      current.session.dispose();
      Rules p = pending.getAndSet(null);
      if (p != null) {
        p.session.dispose();
      }
    }
  }

  /**
   * Configures a {@link DrlRuleEngine}. With no source configured at all, rules are read from the directory
   * {@code rules/} (if it exists) and the classpath folder {@code rules/}.
   */
  public static final class Builder {
    private boolean seedRules;
    private final List<String> classpath = new ArrayList<>();
    private Path directory;
    private boolean directoryOptional;
    private final List<Path> triggerFiles = new ArrayList<>();
    private final List<Trigger> triggers = new ArrayList<>();
    private final List<DrlSource> inline = new ArrayList<>();
    private boolean hotReload;
    private Duration reloadDebounce = DEFAULT_RELOAD_DEBOUNCE;
    private int maxFiresPerEvent = DEFAULT_MAX_FIRES_PER_EVENT;
    private ActivitySpec extraActivity;
    private Set<String> knownTemplates;
    private ClassLoader classLoader = DrlRuleEngine.class.getClassLoader();

    private Builder() {}

    /** Includes the five shipped seed triggers (welcome, power_user, payment_recovery, winback, churn). */
    public Builder seedRules(boolean seed) {
      this.seedRules = seed;
      return this;
    }

    /** Reads {@code .drl} and trigger files from a classpath folder, e.g. {@code rules/} (in jars too). */
    public Builder classpath(String location) {
      classpath.add(requireNonNull(location, "location"));
      return this;
    }

    /** Reads {@code .drl} and trigger files ({@code triggers.yaml}, {@code *.triggers.yaml|json}) from a directory. */
    public Builder directory(Path directory) {
      this.directory = requireNonNull(directory, "directory");
      return this;
    }

    /** Compiles the triggers of a YAML/JSON trigger file into DRL. */
    public Builder triggers(Path file) {
      triggerFiles.add(requireNonNull(file, "file"));
      return this;
    }

    /** Compiles triggers into DRL. */
    public Builder triggers(Collection<Trigger> list) {
      triggers.addAll(requireNonNull(list, "triggers"));
      return this;
    }

    /** Adds DRL text, named {@code name} in problems. */
    public Builder drl(String name, String drl) {
      inline.add(new DrlSource(name, drl));
      return this;
    }

    /** Watch the directory and recompile on change (needs {@link #directory(Path)}). Off by default. */
    public Builder hotReload(boolean hotReload) {
      this.hotReload = hotReload;
      return this;
    }

    /** How long the directory must be quiet before a reload. */
    public Builder reloadDebounce(Duration debounce) {
      requireNonNull(debounce, "debounce");
      if (debounce.isNegative()) {
        throw new IllegalArgumentException("reloadDebounce must be >= 0, but was " + debounce);
      }
      this.reloadDebounce = debounce;
      return this;
    }

    /** More rule fires than this for one event is a loop: the event fails with a RuleEvaluationException. */
    public Builder maxFiresPerEvent(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxFiresPerEvent must be > 0, but was " + max);
      }
      this.maxFiresPerEvent = max;
      return this;
    }

    /** Activity to keep beyond what the DRL's literal calls declare (e.g. windows passed as variables). */
    public Builder activity(ActivitySpec extra) {
      this.extraActivity = this.extraActivity == null ? requireNonNull(extra, "activity")
          : this.extraActivity.merge(extra);
      return this;
    }

    /**
     * The templates the dispatcher has, as {@code channel/template}; a rule asking for another one fails the build
     * (or the reload) with its location. Unset: not checked here.
     */
    public Builder knownTemplates(Collection<String> templates) {
      this.knownTemplates = Set.copyOf(requireNonNull(templates, "templates"));
      return this;
    }

    /** The class loader for fact classes and classpath rules. */
    public Builder classLoader(ClassLoader cl) {
      this.classLoader = requireNonNull(cl, "classLoader");
      return this;
    }

    /**
     * Compiles the rules.
     *
     * @throws RuleCompilationException with file, line, column and rule of every error
     */
    public DrlRuleEngine build() {
      if (hotReload && directory == null) {
        throw new IllegalStateException("hotReload needs a directory(...) to watch");
      }
      if (!seedRules && classpath.isEmpty() && directory == null && triggerFiles.isEmpty() && triggers.isEmpty()
          && inline.isEmpty()) {
        directory = Path.of("rules");
        directoryOptional = true;
        classpath.add("rules/");
      }
      return new DrlRuleEngine(this);
    }
  }
}
