package dev.mkt.rules;

import dev.mkt.Action;
import dev.mkt.ActionType;
import dev.mkt.MarketingEvent;
import dev.mkt.Priority;
import dev.mkt.internal.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One action a rule asked for, refined fluently in the consequence. Becomes an {@link Action} when the rules
 * have fired.
 *
 * <p><b>Identity.</b> The idempotency key is {@code rule:user:occurrence:step}:
 * <ul>
 *   <li>{@code occurrence} defaults to the triggering event's id, so a replay or a duplicate delivery of the
 *       same event decides the same key, and the outbox keeps one. {@link #once()} makes it {@code once}:
 *       at most one such action per user and rule, ever. {@link #occurrence(String)} sets any other scope
 *       (a session id, a week).</li>
 *   <li>{@code step} defaults to {@code channel/template}, so one firing may ask for several actions.</li>
 * </ul>
 *
 * <p><b>Timing.</b> {@code notBefore} is the event's timestamp plus {@link #after(Duration)} (event time,
 * never the wall clock), so backtests and live processing agree.
 */
public final class ActionRequest {
  private final String rule;
  private final ActionType type;
  private final String template;
  private String channel;
  private final Instant eventTime;
  private Priority priority = Priority.NORMAL;
  private Duration delay = Duration.ZERO;
  private String occurrence;
  private String step;
  private boolean reviewRequired;
  private Map<String, Object> vars;

  ActionRequest(String rule, ActionType type, String template, String channel, Instant eventTime) {
    this.rule = rule;
    this.type = type;
    this.template = template;
    this.channel = channel;
    this.eventTime = eventTime;
  }

  /** A template variable. */
  public ActionRequest var(String name, Object value) {
    Objects.requireNonNull(name, "var name");
    if (vars == null) {
      vars = new LinkedHashMap<>();
    }
    vars.put(name, value);
    return this;
  }

  public ActionRequest priority(Priority priority) {
    this.priority = Objects.requireNonNull(priority, "priority");
    return this;
  }

  /** {@code low}, {@code normal} or {@code high}. */
  public ActionRequest priority(String priority) {
    return priority(Priority.parse(priority));
  }

  /** Priority high: bypasses the per-user frequency cap (never consent). */
  public ActionRequest high() {
    return priority(Priority.HIGH);
  }

  /** Not before the event time plus {@code delay}. */
  public ActionRequest after(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must be >= 0, but was " + delay);
    }
    this.delay = delay;
    return this;
  }

  /** As {@link #after(Duration)} with {@code "2d"}, {@code "90m"}, {@code "PT1H"}. */
  public ActionRequest after(String delay) {
    return after(Durations.parse(delay));
  }

  /** At most once per user for this rule (and step): the occurrence is {@code once}. */
  public ActionRequest once() {
    return occurrence("once");
  }

  /** The occurrence part of the idempotency key (default: the event id). */
  public ActionRequest occurrence(String occurrence) {
    if (occurrence == null || occurrence.isBlank()) {
      throw new IllegalArgumentException("occurrence must not be blank, but was '" + occurrence + "'");
    }
    this.occurrence = occurrence;
    return this;
  }

  /** The step part of the idempotency key (default: {@code channel/template}). */
  public ActionRequest step(String step) {
    if (step == null || step.isBlank()) {
      throw new IllegalArgumentException("step must not be blank, but was '" + step + "'");
    }
    this.step = step;
    return this;
  }

  /** Another channel than the type's default, e.g. {@code social.linkedin}. */
  public ActionRequest channel(String channel) {
    if (channel == null || channel.isBlank()) {
      throw new IllegalArgumentException("channel must not be blank, but was '" + channel + "'");
    }
    this.channel = channel;
    return this;
  }

  /** A human must approve it before delivery, whatever the channel's review setting. */
  public ActionRequest reviewRequired() {
    this.reviewRequired = true;
    return this;
  }

  Action toAction(MarketingEvent e) {
    String ch = channel != null ? channel : type.defaultChannel();
    String occ = occurrence != null ? occurrence : e.id();
    String st = step != null ? step : ch + "/" + template;
    Action.Builder b = Action.builder()
        .idempotencyKey(rule + ":" + e.userId() + ":" + occ + ":" + st)
        .rule(rule).userId(e.userId()).eventId(e.id()).type(type).channel(ch).template(template)
        .priority(priority).notBefore(eventTime.plus(delay)).reviewRequired(reviewRequired);
    if (vars != null) {
      vars.forEach(b::var);
    }
    return b.build();
  }
}
