package dev.mkt.rules;

import dev.mkt.Action;
import dev.mkt.Activity;
import dev.mkt.Contact;
import dev.mkt.MarketingEvent;
import dev.mkt.RuleEvaluationException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.drools.base.base.ClassObjectType;
import org.drools.base.definitions.rule.impl.RuleImpl;
import org.drools.base.rule.GroupElement;
import org.drools.base.rule.QueryElement;
import org.drools.base.rule.RuleConditionElement;
import org.drools.base.rule.constraint.Constraint;
import org.drools.base.rule.consequence.ConsequenceException;
import org.drools.core.impl.InternalRuleBase;
import org.drools.core.reteoo.ObjectTypeNode;
import org.drools.mvel.MVELConstraint;
import org.kie.api.definition.KiePackage;
import org.kie.api.KieServices;
import org.kie.api.runtime.KieSessionConfiguration;
import org.kie.api.runtime.conf.ThreadSafeOption;
import org.kie.api.KieBase;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.FactHandle;

/**
 * One long-lived stateful Drools session over a compiled rule base. Per event: insert the {@code Event},
 * {@code Contact} and {@code Activity} facts that the rules able to fire for the event's type use (see
 * {@link TypeGate}; none: the session is skipped), fire (bounded by max-fires-per-event), collect the actions,
 * delete the facts. No state stays in the session between events: per-user state lives in the reactor, so it
 * survives reloads. Not thread-safe; the engine serialises calls.
 */
final class RuleSession {
  private static final Pattern RULE_IN_MESSAGE = Pattern.compile("Rule \"([^\"]+)\"|rule '([^']+)'|rule \"([^\"]+)\"");

  private final KieBase kieBase;
  private final int maxFires;
  private final Actions actions = new Actions();
  private final FireCounter counter = new FireCounter();
  private final boolean declaresActions;
  private final KieSessionConfiguration sessionConfig;
  /** Per event type: what to insert for the rules that can fire for it ({@code null}: gating is off). */
  private final Map<String, Needs> needsByType;
  /** For types no rule names in its Event pattern: what the rules that any type can fire need. */
  private final Needs needsOtherTypes;
  private KieSession session;

  /** Which facts to insert for an event type; {@code none()}: no rule can fire, skip the session. */
  record Needs(boolean event, boolean contact, boolean activity) {
    /** What patterns of these classes can match (Object.class: anything). */
    static Needs of(List<Class<?>> patternTypes) {
      return new Needs(matches(patternTypes, Event.class), matches(patternTypes, Contact.class),
          patternTypes.stream().anyMatch(c -> c.isAssignableFrom(Activity.class)
              || Activity.class.isAssignableFrom(c)));
    }

    Needs and(Needs o) {
      return new Needs(event && o.event, contact && o.contact, activity && o.activity);
    }

    boolean none() {
      return !event && !contact && !activity;
    }
  }

  /**
   * @param consequencesMayInsert whether a consequence may insert facts (the DRL mentions insert, drools,
   *     kcontext or an entry point); then every rule that can fire for a type gets all the facts any rule uses
   */
  RuleSession(KieBase kieBase, int maxFires, boolean consequencesMayInsert) {
    this.kieBase = kieBase;
    this.maxFires = maxFires;
    this.declaresActions = kieBase.getKiePackages().stream()
        .anyMatch(p -> p.getGlobalVariables().stream().anyMatch(g -> g.getName().equals("actions")));
    // Insert only the fact types some pattern can match: each insert and delete costs an object-store update and a
    // propagation through the network.
    List<Class<?>> patternTypes = new java.util.ArrayList<>();
    for (ObjectTypeNode otn : ((InternalRuleBase) kieBase).getRete().getObjectTypeNodes()) {
      if (otn.getObjectType() instanceof ClassObjectType) {
        patternTypes.add(((ClassObjectType) otn.getObjectType()).getClassType());
      } else {
        patternTypes.add(Object.class); // be safe with anything else
      }
    }
    Needs network = Needs.of(patternTypes);
    TypeGate gate = TypeGate.of(kieBase);
    if (gate == null) {
      this.needsByType = null;
      this.needsOtherTypes = network;
    } else {
      Map<String, Needs> byType = new HashMap<>();
      for (String type : gate.gated.keySet()) {
        byType.put(type, gate.needs(type, consequencesMayInsert, network));
      }
      this.needsByType = Map.copyOf(byType);
      this.needsOtherTypes = gate.needs(null, consequencesMayInsert, network);
    }
    this.sessionConfig = KieServices.get().newKieSessionConfiguration();
    // The engine serialises calls; Drools need not guard the session against concurrent use.
    this.sessionConfig.setOption(ThreadSafeOption.NO);
    this.session = newSession();
  }

  private static boolean matches(List<Class<?>> patternTypes, Class<?> fact) {
    return patternTypes.stream().anyMatch(c -> c.isAssignableFrom(fact));
  }

  private KieSession newSession() {
    KieSession s = kieBase.newKieSession(sessionConfig, null);
    if (declaresActions) {
      s.setGlobal("actions", actions);
    }
    s.addEventListener(counter);
    return s;
  }

  /** What evaluating an event of this type inserts (for tests). */
  Needs needs(String type) {
    if (needsByType == null) {
      return needsOtherTypes;
    }
    Needs n = needsByType.get(type);
    return n != null ? n : needsOtherTypes;
  }

  List<Action> evaluate(MarketingEvent e, Contact contact, Activity activity) {
    Needs needs = needs(e.type());
    if (needs.none()) {
      return List.of(); // no rule can fire for this type: no fact would reach a rule
    }
    actions.begin(e);
    counter.reset(actions);
    try {
      FactHandle he = needs.event ? session.insert(new Event(e)) : null;
      FactHandle hc = needs.contact ? session.insert(contact) : null;
      FactHandle ha = needs.activity ? session.insert(activity) : null;
      int fired = session.fireAllRules(maxFires + 1);
      if (fired > maxFires) {
        String rule = counter.mostFired();
        throw new RuleEvaluationException(rule, e.id(), "rules fired more than " + maxFires + " times for one event "
            + "(max-fires-per-event; rule '" + rule + "' fired " + counter.count(rule) + " times): does it re-activate "
            + "itself with modify/update/insert and no guard?", null);
      }
      List<Action> out = actions.finish();
      if (he != null) {
        session.delete(he);
      }
      if (hc != null) {
        session.delete(hc);
      }
      if (ha != null) {
        session.delete(ha);
      }
      if (session.getFactCount() != 0) {
        // Facts a consequence inserted live for the current event only.
        for (FactHandle h : session.getFactHandles()) {
          session.delete(h);
        }
      }
      return out;
    } catch (RuleEvaluationException ex) {
      reset();
      throw ex;
    } catch (RuntimeException ex) {
      reset();
      throw translate(ex, e);
    }
  }

  /** After a failure the session may hold facts and activations: start a clean one. */
  private void reset() {
    actions.abandon();
    try {
      session.dispose();
    } catch (RuntimeException ignored) {
      // a broken session is discarded either way
    }
    session = newSession();
  }

  private RuleEvaluationException translate(RuntimeException ex, MarketingEvent e) {
    String rule = null;
    Throwable root = ex;
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (rule == null && t instanceof ConsequenceException && ((ConsequenceException) t).getRule() != null) {
        rule = ((ConsequenceException) t).getRule().getName();
      }
      if (rule == null && t.getMessage() != null) {
        Matcher m = RULE_IN_MESSAGE.matcher(t.getMessage());
        if (m.find()) {
          rule = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
        }
      }
      root = t;
      if (t.getCause() == t) {
        break;
      }
    }
    if (rule == null) {
      rule = counter.current();
    }
    String msg = root.getMessage() != null ? root.getMessage() : root.toString();
    return new RuleEvaluationException(rule == null ? "?" : rule, e.id(), msg, ex);
  }

  void dispose() {
    session.dispose();
  }

  /**
   * Which rules can fire for which event type, read from the compiled rules. A rule whose conditions include, at
   * the top level, a positive, plain {@code Event( type == "x", ... )} pattern can fire only for events of type
   * {@code x}: the current event's {@code Event} is the only one in the session (a consequence that inserts one is
   * covered by {@code consequencesMayInsert}). Every other rule can fire for any type. Per type, the facts to
   * insert are those some pattern of a rule that can fire uses; a type no rule can fire for skips the session.
   */
  static final class TypeGate {
    private static final Pattern TYPE_EQUALS = Pattern.compile("\\s*type\\s*==\\s*\"([^\"\\\\]*)\"\\s*");
    /** Per gated type, the fact classes the rules gated to it use (Object.class: anything). */
    final Map<String, List<Class<?>>> gated = new HashMap<>();
    /** The fact classes the ungated rules use. */
    final List<Class<?>> ungated = new java.util.ArrayList<>();
    /** The fact classes any rule uses. */
    final List<Class<?>> all = new java.util.ArrayList<>();
    /** Rules no type gates (they may have no pattern at all, e.g. {@code when then}). */
    int ungatedRules;

    /** The gate, or {@code null} if no rule is gated by type (nothing to gain). */
    static TypeGate of(KieBase kieBase) {
      TypeGate g = new TypeGate();
      for (KiePackage p : kieBase.getKiePackages()) {
        for (org.kie.api.definition.rule.Rule r : p.getRules()) {
          if (!(r instanceof RuleImpl)) {
            return null;
          }
          RuleImpl rule = (RuleImpl) r;
          if (rule.isQuery()) {
            continue;
          }
          List<Class<?>> uses = new java.util.ArrayList<>();
          collectTypes(rule.getLhs(), uses);
          g.all.addAll(uses);
          String type = gateType(rule.getLhs());
          if (type == null) {
            g.ungatedRules++;
            g.ungated.addAll(uses);
          } else {
            g.gated.computeIfAbsent(type, t -> new java.util.ArrayList<>()).addAll(uses);
          }
        }
      }
      return g.gated.isEmpty() ? null : g;
    }

    /** What to insert for {@code type} ({@code null}: a type no rule names), within what the network matches. */
    Needs needs(String type, boolean consequencesMayInsert, Needs network) {
      List<Class<?>> uses = new java.util.ArrayList<>(ungated);
      List<Class<?>> own = type == null ? null : gated.get(type);
      if (own != null) {
        uses.addAll(own);
      }
      if (ungatedRules == 0 && own == null) {
        return new Needs(false, false, false); // no rule can fire: no consequence runs either
      }
      if (consequencesMayInsert) {
        uses = all; // an inserted fact may wake a rule gated to another type; give it what it needs
      }
      return network.and(Needs.of(uses));
    }

    /** The type of a top-level, positive, plain {@code Event(type == "x")} pattern, or {@code null}. */
    private static String gateType(GroupElement lhs) {
      if (lhs == null || !lhs.isAnd()) {
        return null;
      }
      for (RuleConditionElement c : lhs.getChildren()) {
        if (!(c instanceof org.drools.base.rule.Pattern)) {
          continue;
        }
        org.drools.base.rule.Pattern p = (org.drools.base.rule.Pattern) c;
        if (p.getSource() != null || p.getXpathConstraint() != null
            || !(p.getObjectType() instanceof ClassObjectType)
            || ((ClassObjectType) p.getObjectType()).getClassType() != Event.class) {
          continue;
        }
        for (Constraint k : p.getConstraints()) {
          if (k instanceof MVELConstraint) {
            Matcher m = TYPE_EQUALS.matcher(((MVELConstraint) k).getExpression());
            if (m.matches()) {
              return m.group(1);
            }
          }
        }
      }
      return null;
    }

    /** The classes of every pattern in the element (Object.class for what cannot be read). */
    private static void collectTypes(RuleConditionElement e, List<Class<?>> out) {
      if (e == null) {
        return;
      }
      if (e instanceof QueryElement) {
        out.add(Object.class); // a query's patterns are elsewhere
        return;
      }
      if (e instanceof org.drools.base.rule.Pattern) {
        org.drools.base.rule.Pattern p = (org.drools.base.rule.Pattern) e;
        out.add(p.getObjectType() instanceof ClassObjectType
            ? ((ClassObjectType) p.getObjectType()).getClassType() : Object.class);
      }
      List<? extends RuleConditionElement> nested = e.getNestedElements();
      if (nested != null) {
        for (RuleConditionElement n : nested) {
          if (n != e) {
            collectTypes(n, out);
          }
        }
      }
    }
  }

  /** Names the rule being fired, for {@link Actions}, and counts fires per rule for the loop report. */
  private static final class FireCounter extends DefaultAgendaEventListener {
    private Actions actions;
    private final Map<String, Integer> counts = new HashMap<>();
    private String current;

    void reset(Actions a) {
      this.actions = a;
      if (!counts.isEmpty()) {
        counts.clear();
      }
      current = null;
    }

    @Override
    public void beforeMatchFired(BeforeMatchFiredEvent event) {
      current = event.getMatch().getRule().getName();
      counts.merge(current, 1, Integer::sum);
      actions.rule(current);
    }

    String current() {
      return current;
    }

    int count(String rule) {
      return counts.getOrDefault(rule, 0);
    }

    String mostFired() {
      return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("?");
    }
  }
}
