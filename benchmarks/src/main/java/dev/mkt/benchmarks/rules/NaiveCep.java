package dev.mkt.benchmarks.rules;

import dev.mkt.MarketingEvent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.kie.api.KieBase;
import org.kie.api.KieBaseConfiguration;
import org.kie.api.KieServices;
import org.kie.api.conf.EventProcessingOption;
import org.kie.api.definition.type.Role;
import org.kie.api.definition.type.Timestamp;
import org.kie.api.io.ResourceType;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionConfiguration;
import org.kie.api.runtime.conf.ClockTypeOption;
import org.kie.api.runtime.rule.FactHandle;
import org.kie.api.time.SessionPseudoClock;
import org.kie.internal.builder.KnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilderFactory;
import org.kie.internal.io.ResourceFactory;

/**
 * The baseline: the seed triggers as plain Drools CEP. Every event is an {@code @role(event)} fact in one
 * stream-mode session with a pseudo clock; "feature_usage count > 5 in 24h" is an accumulate over
 * {@code window:time(24h)}, so every event of the last 24h stays in working memory. The other triggers keep their
 * per-user memory (welcomed, above the threshold, short-session streak, last churn score) in a {@code UserFacts}
 * fact, as a Drools-only implementation would.
 */
public final class NaiveCep implements AutoCloseable {

  /** An event fact. */
  @Role(Role.Type.EVENT)
  @Timestamp("ts")
  public static final class Ev {
    public final String id;
    public final String type;
    public final String userId;
    public final long ts;
    public final String feature;
    public final double number;
    public final boolean flag;

    Ev(MarketingEvent e, double number, boolean flag, String feature) {
      this.id = e.id();
      this.type = e.type();
      this.userId = e.userId();
      this.ts = e.timestamp().toEpochMilli();
      this.number = number;
      this.flag = flag;
      this.feature = feature;
    }

    public String getId() { return id; }
    public String getType() { return type; }
    public String getUserId() { return userId; }
    public long getTs() { return ts; }
    public String getFeature() { return feature; }
    public double getNumber() { return number; }
    public boolean isFlag() { return flag; }
  }

  /** The event being processed now (deleted after firing). */
  public static final class Current {
    public final Ev ev;

    Current(Ev ev) {
      this.ev = ev;
    }

    public Ev getEv() { return ev; }
    public String getType() { return ev.type; }
    public String getUserId() { return ev.userId; }
  }

  /** Per-user memory kept in working memory. */
  public static final class UserFacts {
    public final String userId;
    public boolean welcomed;
    public boolean featureAbove;
    public int shortStreak;
    public double lastScore = Double.NaN;

    public UserFacts(String userId) {
      this.userId = userId;
    }

    public String getUserId() { return userId; }
  }

  /** Counts decisions. */
  public static final class Sink {
    public long actions;

    public void add(String rule, String userId, String eventId, String template) {
      actions++;
    }
  }

  static final String DRL = String.join("\n",
      "package naive;",
      "import " + Ev.class.getCanonicalName() + ";",
      "import " + Current.class.getCanonicalName() + ";",
      "import " + UserFacts.class.getCanonicalName() + ";",
      "global " + Sink.class.getCanonicalName() + " sink;",
      "",
      "rule \"new_user\" salience 100",
      "when",
      "  Current( $u : userId )",
      "  not UserFacts( userId == $u )",
      "then",
      "  insert(new UserFacts($u));",
      "end",
      "",
      "rule \"welcome\"",
      "when",
      "  Current( type == \"signup\", $e : ev, ev.flag == true )",
      "  $f : UserFacts( userId == $e.userId )",
      "then",
      "  if (!$f.welcomed) {",
      "    $f.welcomed = true;",
      "    sink.add(\"welcome\", $e.userId, $e.id, \"welcome_v1\");",
      "    sink.add(\"welcome\", $e.userId, $e.id, \"welcome_day2\");",
      "    sink.add(\"welcome\", $e.userId, $e.id, \"welcome_day5\");",
      "  }",
      "end",
      "",
      "rule \"power_user\"",
      "when",
      "  Current( type == \"feature_usage\", $e : ev )",
      "  $f : UserFacts( userId == $e.userId )",
      "  accumulate( Ev( type == \"feature_usage\", userId == $e.userId ) over window:time( 24h ); $n : count(1) )",
      "then",
      "  boolean above = $n > 5;",
      "  if (above && !$f.featureAbove) {",
      "    sink.add(\"power_user\", $e.userId, $e.id, \"pro_tip_v1\");",
      "    sink.add(\"power_user\", $e.userId, $e.id, \"review_request\");",
      "  }",
      "  $f.featureAbove = above;",
      "end",
      "",
      "rule \"payment_recovery\"",
      "when",
      "  Current( type == \"payment_failed\", $e : ev, ev.number == 1 )",
      "then",
      "  sink.add(\"payment_recovery\", $e.userId, $e.id, \"payment_recovery_v1\");",
      "end",
      "",
      "rule \"winback\"",
      "when",
      "  Current( type == \"session_duration\", $e : ev )",
      "  $f : UserFacts( userId == $e.userId )",
      "then",
      "  if ($e.number < 30) {",
      "    $f.shortStreak++;",
      "    if ($f.shortStreak == 3) sink.add(\"winback\", $e.userId, $e.id, \"winback_survey_v1\");",
      "  } else {",
      "    $f.shortStreak = 0;",
      "  }",
      "end",
      "",
      "rule \"churn\"",
      "when",
      "  Current( type == \"churn_signal\", $e : ev )",
      "  $f : UserFacts( userId == $e.userId )",
      "then",
      "  if ($e.number > 0.8 && !($f.lastScore > 0.8)) {",
      "    sink.add(\"churn\", $e.userId, $e.id, \"retention_review\");",
      "    sink.add(\"churn\", $e.userId, $e.id, \"help_offering\");",
      "  }",
      "  $f.lastScore = $e.number;",
      "end",
      "");

  private final KieSession session;
  private final SessionPseudoClock clock;
  final Sink sink = new Sink();

  public NaiveCep() {
    KnowledgeBuilder kb = KnowledgeBuilderFactory.newKnowledgeBuilder();
    kb.add(ResourceFactory.newByteArrayResource(DRL.getBytes(StandardCharsets.UTF_8)).setSourcePath("naive.drl"),
        ResourceType.DRL);
    if (kb.hasErrors()) {
      throw new IllegalStateException("naive CEP rules do not compile: " + kb.getErrors());
    }
    KieServices ks = KieServices.get();
    KieBaseConfiguration kconf = ks.newKieBaseConfiguration();
    kconf.setOption(EventProcessingOption.STREAM);
    KieBase kbase = kb.newKieBase();
    org.drools.kiesession.rulebase.InternalKnowledgeBase stream =
        org.drools.kiesession.rulebase.KnowledgeBaseFactory.newKnowledgeBase(kconf);
    stream.addPackages(kb.getKnowledgePackages());
    KieSessionConfiguration sconf = ks.newKieSessionConfiguration();
    sconf.setOption(ClockTypeOption.PSEUDO);
    this.session = stream.newKieSession(sconf, null);
    this.session.setGlobal("sink", sink);
    this.clock = session.getSessionClock();
  }

  /** Processes one event: advance the pseudo clock to its time, insert it, fire. Returns the actions decided. */
  public long process(MarketingEvent e) {
    long advance = e.timestamp().toEpochMilli() - clock.getCurrentTime();
    if (advance > 0) {
      clock.advanceTime(advance, TimeUnit.MILLISECONDS);
    }
    Object n = e.payload().get(e.type().equals("session_duration") ? "seconds"
        : e.type().equals("payment_failed") ? "retry_count" : "score");
    Object f = e.payload().get("email_verified");
    Object feature = e.payload().get("feature_name");
    Ev ev = new Ev(e, n instanceof Number ? ((Number) n).doubleValue() : Double.NaN, Boolean.TRUE.equals(f),
        feature instanceof String ? (String) feature : null);
    long before = sink.actions;
    session.insert(ev);
    FactHandle cur = session.insert(new Current(ev));
    session.fireAllRules();
    session.delete(cur);
    return sink.actions - before;
  }

  /** Facts in working memory (events in the window + per-user facts). */
  public long facts() {
    return session.getFactCount();
  }

  @Override
  public void close() {
    session.dispose();
  }
}
