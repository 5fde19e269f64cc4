package dev.mkt.rules;

import static java.util.Objects.requireNonNull;

import dev.mkt.ActionType;
import dev.mkt.Priority;
import java.time.Duration;
import java.util.Map;

/**
 * A trigger declared in configuration, in the seed's config-template shape:
 *
 * <pre>
 * { id: 'power_user_prompt', event: 'feature_usage', condition: { count: 5, window: '24h' },
 *   action: 'send_email', template: 'pro_tip_v1', delay: 'immediate' }
 * </pre>
 *
 * {@link Triggers} parses YAML/JSON into triggers and compiles them into DRL; see docs/rules.md for the
 * condition language.
 *
 * @param id the rule name; letters, digits, {@code _ - .}
 * @param event the event type it reacts to
 * @param condition field → expected value (see {@link Triggers}); empty for "every event of the type"
 * @param action what to do
 * @param template the template (for {@code create_task}: the task name; defaults to the id)
 * @param delay {@code notBefore} = event time + delay; zero for {@code immediate}
 * @param priority the action's priority
 * @param once at most one such action per user, ever
 * @param channel another channel than the action's default, or {@code null}
 * @param sourceLine the line of the trigger in its file, 0 if unknown
 */
public record Trigger(String id, String event, Map<String, Object> condition, ActionType action, String template,
    Duration delay, Priority priority, boolean once, String channel, int sourceLine) {

  public Trigger {
    requireNonNull(id, "id");
    requireNonNull(event, "event");
    condition = condition == null ? Map.of() : Map.copyOf(condition);
    requireNonNull(action, "action");
    requireNonNull(template, "template");
    delay = delay == null ? Duration.ZERO : delay;
    priority = priority == null ? Priority.NORMAL : priority;
  }
}
