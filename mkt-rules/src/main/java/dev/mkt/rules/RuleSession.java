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
import org.drools.base.rule.consequence.ConsequenceException;
import org.drools.core.impl.InternalRuleBase;
import org.drools.core.reteoo.ObjectTypeNode;
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
 * {@code Contact} and {@code Activity} facts, fire (bounded by max-fires-per-event), collect the actions, delete
 * the facts. No state stays in the session between events: per-user state lives in the reactor, so it survives
 * reloads. Not thread-safe; the engine serialises calls.
 */
final class RuleSession {
  private static final Pattern RULE_IN_MESSAGE = Pattern.compile("Rule \"([^\"]+)\"|rule '([^']+)'|rule \"([^\"]+)\"");

  private final KieBase kieBase;
  private final int maxFires;
  private final Actions actions = new Actions();
  private final FireCounter counter = new FireCounter();
  private final boolean declaresActions;
  private final boolean needsEvent;
  private final boolean needsContact;
  private final boolean needsActivity;
  private final KieSessionConfiguration sessionConfig;
  private KieSession session;

  RuleSession(KieBase kieBase, int maxFires) {
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
    this.needsEvent = matches(patternTypes, Event.class);
    this.needsContact = matches(patternTypes, Contact.class);
    this.needsActivity = patternTypes.stream().anyMatch(c -> c.isAssignableFrom(Activity.class)
        || Activity.class.isAssignableFrom(c));
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

  List<Action> evaluate(MarketingEvent e, Contact contact, Activity activity) {
    actions.begin(e);
    counter.reset(actions);
    try {
      FactHandle he = needsEvent ? session.insert(new Event(e)) : null;
      FactHandle hc = needsContact ? session.insert(contact) : null;
      FactHandle ha = needsActivity ? session.insert(activity) : null;
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
