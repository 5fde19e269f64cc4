package dev.mkt.rules;

import dev.mkt.Action;
import dev.mkt.ActionType;
import dev.mkt.MarketingEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code actions} global: how a rule's consequence decides. Each call records an action request for the
 * current event and returns it for refinement; the engine turns the requests into {@link Action}s when the
 * rules have fired. Nothing here does I/O.
 *
 * <pre>
 * global dev.mkt.rules.Actions actions;
 * ...
 * then
 *   actions.sendEmail("pro_tip_v1").var("feature", $e.text("feature_name"));
 *   actions.inApp("review_request");
 *   actions.createTask("retention_review").priority(Priority.HIGH);
 *   actions.sendEmail("welcome_day2").after("2d").once();
 * </pre>
 *
 * <p>The rule's name is filled in by the engine. The idempotency key is
 * {@code rule:user:occurrence:step}; see {@link ActionRequest}.
 */
public final class Actions {
  private MarketingEvent event;
  private String rule = "?";
  private final List<ActionRequest> requests = new ArrayList<>();

  Actions() {}

  /** An email with the given template. Channel {@code email}. */
  public ActionRequest sendEmail(String template) {
    return add(ActionType.SEND_EMAIL, template, null);
  }

  /** An in-app message or prompt, e.g. {@code review_request}. Channel {@code in_app}. */
  public ActionRequest inApp(String template) {
    return add(ActionType.IN_APP, template, null);
  }

  /** A task for a human, e.g. {@code retention_review}. Channel {@code crm}. */
  public ActionRequest createTask(String task) {
    return add(ActionType.CREATE_TASK, task, null);
  }

  /** A social post from a template. Channel {@code social}; see {@link #postSocial(String, String)}. */
  public ActionRequest postSocial(String template) {
    return add(ActionType.POST_SOCIAL, template, null);
  }

  /** A social post on one network ({@code linkedin}, {@code x}, {@code mastodon}, {@code bluesky}). */
  public ActionRequest postSocial(String network, String template) {
    return add(ActionType.POST_SOCIAL, template, "social." + network);
  }

  /** A CRM record update, e.g. {@code updateCrm("lead_stage").var("stage", "pql")}. Channel {@code crm}. */
  public ActionRequest updateCrm(String template) {
    return add(ActionType.UPDATE_CRM, template, null);
  }

  /** Any action type by wire name ({@code send_email}, ... ; {@code create_ticket} = {@code create_task}). */
  public ActionRequest action(String type, String template) {
    return add(ActionType.fromWireName(type), template, null);
  }

  private ActionRequest add(ActionType type, String template, String channel) {
    if (event == null) {
      throw new IllegalStateException("actions can only be requested by a rule consequence");
    }
    if (template == null || template.isBlank()) {
      throw new IllegalArgumentException("template of " + type.wireName() + " must not be blank, but was '"
          + template + "'");
    }
    ActionRequest r = new ActionRequest(rule, type, template, channel, event.timestamp());
    requests.add(r);
    return r;
  }

  // ---- engine side (package-private) ----

  void begin(MarketingEvent e) {
    this.event = e;
    this.requests.clear();
    this.rule = "?";
  }

  void rule(String ruleName) {
    this.rule = ruleName;
  }

  /** The requests so far, as actions, in request order; clears them. */
  List<Action> finish() {
    MarketingEvent e = event;
    event = null;
    if (requests.isEmpty()) {
      return List.of();
    }
    List<Action> out = new ArrayList<>(requests.size());
    for (ActionRequest r : requests) {
      out.add(r.toAction(e));
    }
    requests.clear();
    return out;
  }

  void abandon() {
    event = null;
    requests.clear();
  }
}
