package dev.mkt;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A decision of a rule: "send email {@code pro_tip_v1} to user 42, not before t". Immutable.
 *
 * <p>Rules decide; they never do I/O. The dispatcher turns actions into deliveries through channels, after
 * the compliance, review, limit and retry gates.
 *
 * <p>The {@link #idempotencyKey()} is the action's identity: {@code rule:user:occurrence[:step]}. The outbox
 * keeps at most one action per key, so replaying an event, or delivering it twice, never sends twice.
 */
public final class Action {
  private final String idempotencyKey;
  private final String rule;
  private final String userId;
  private final String eventId;
  private final ActionType type;
  private final String channel;
  private final String template;
  private final Priority priority;
  private final Instant notBefore;
  private final Map<String, Object> vars;
  private final boolean reviewRequired;

  private Action(Builder b) {
    this.idempotencyKey = requireNonNull(b.idempotencyKey, "idempotencyKey");
    this.rule = requireNonNull(b.rule, "rule");
    this.userId = requireNonNull(b.userId, "userId");
    this.eventId = b.eventId;
    this.type = requireNonNull(b.type, "type");
    this.channel = b.channel != null ? b.channel : b.type.defaultChannel();
    this.template = requireNonNull(b.template, "template");
    this.priority = b.priority != null ? b.priority : Priority.NORMAL;
    this.notBefore = requireNonNull(b.notBefore, "notBefore");
    this.vars = b.vars == null || b.vars.isEmpty() ? Map.of() : Collections.unmodifiableMap(b.vars);
    this.reviewRequired = b.reviewRequired;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder().idempotencyKey(idempotencyKey).rule(rule).userId(userId).eventId(eventId)
        .type(type).channel(channel).template(template).priority(priority).notBefore(notBefore)
        .reviewRequired(reviewRequired);
    vars.forEach(b::var);
    return b;
  }

  /** {@code rule:user:occurrence[:step]}; unique in the outbox. */
  public String idempotencyKey() { return idempotencyKey; }

  /** The rule that decided it. */
  public String rule() { return rule; }

  public String userId() { return userId; }

  /** The event that triggered the decision. */
  public String eventId() { return eventId; }

  public ActionType type() { return type; }

  /** {@code email}, {@code in_app}, {@code crm}, {@code social.linkedin}, or a custom channel. */
  public String channel() { return channel; }

  /** The template name; for {@link ActionType#CREATE_TASK} the task name. */
  public String template() { return template; }

  public Priority priority() { return priority; }

  /** Not to be delivered before this instant (the rule's delay after the event time). */
  public Instant notBefore() { return notBefore; }

  /** Template variables. */
  public Map<String, Object> vars() { return vars; }

  /** Whether a human must approve it before delivery, whatever the channel's review setting. */
  public boolean reviewRequired() { return reviewRequired; }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Action)) {
      return false;
    }
    Action a = (Action) o;
    return idempotencyKey.equals(a.idempotencyKey) && rule.equals(a.rule) && userId.equals(a.userId)
        && Objects.equals(eventId, a.eventId) && type == a.type && channel.equals(a.channel)
        && template.equals(a.template) && priority == a.priority && notBefore.equals(a.notBefore)
        && vars.equals(a.vars) && reviewRequired == a.reviewRequired;
  }

  @Override
  public int hashCode() {
    return idempotencyKey.hashCode();
  }

  @Override
  public String toString() {
    return "Action{" + type.wireName() + " " + template + " key=" + idempotencyKey + " channel=" + channel
        + " priority=" + priority + " notBefore=" + notBefore + (reviewRequired ? " review" : "") + '}';
  }

  /** Builds an {@link Action}. */
  public static final class Builder {
    private String idempotencyKey;
    private String rule;
    private String userId;
    private String eventId;
    private ActionType type;
    private String channel;
    private String template;
    private Priority priority;
    private Instant notBefore;
    private LinkedHashMap<String, Object> vars;
    private boolean reviewRequired;

    private Builder() {}

    public Builder idempotencyKey(String key) { this.idempotencyKey = key; return this; }

    public Builder rule(String rule) { this.rule = rule; return this; }

    public Builder userId(String userId) { this.userId = userId; return this; }

    public Builder eventId(String eventId) { this.eventId = eventId; return this; }

    public Builder type(ActionType type) { this.type = type; return this; }

    public Builder channel(String channel) { this.channel = channel; return this; }

    public Builder template(String template) { this.template = template; return this; }

    public Builder priority(Priority priority) { this.priority = priority; return this; }

    public Builder notBefore(Instant notBefore) { this.notBefore = notBefore; return this; }

    public Builder var(String name, Object value) {
      if (vars == null) {
        vars = new LinkedHashMap<>();
      }
      vars.put(requireNonNull(name, "var name"), value);
      return this;
    }

    public Builder reviewRequired(boolean reviewRequired) { this.reviewRequired = reviewRequired; return this; }

    public Action build() {
      return new Action(this);
    }
  }
}
