package dev.mkt.internal.dispatch;

import dev.mkt.Action;
import dev.mkt.ActionType;
import dev.mkt.Activity;
import dev.mkt.Contact;
import dev.mkt.MarketingEvent;
import dev.mkt.Priority;
import dev.mkt.internal.Durations;
import dev.mkt.spi.RuleEngine;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A rule engine for dispatch tests: every {@code action} event decides one action described by its payload
 * ({@code key}, {@code template}, {@code channel}, {@code delay}, {@code priority}, {@code review}, {@code vars}).
 * Until mkt-rules' DRL engine is on main, this is how tests get actions into the outbox through the real
 * reactor.
 */
public final class TestRules implements RuleEngine {
  public static final String ACTION = "action";
  private final Set<String> templates;

  public TestRules(Set<String> templates) {
    this.templates = templates;
  }

  public TestRules() {
    this(Set.of());
  }

  @Override
  public List<Action> evaluate(MarketingEvent e, Contact contact, Activity activity) {
    if (!e.type().equals(ACTION)) {
      return List.of();
    }
    String channel = e.getString("channel").orElse("email");
    Action.Builder b = Action.builder()
        .idempotencyKey(e.getString("key").orElse("k:" + e.id()))
        .rule(e.getString("rule").orElse("test_rule"))
        .userId(e.userId())
        .eventId(e.id())
        .type(channel.equals("email") ? ActionType.SEND_EMAIL : channel.startsWith("social")
            ? ActionType.POST_SOCIAL : channel.equals("crm") ? ActionType.CREATE_TASK : ActionType.IN_APP)
        .channel(channel)
        .template(e.getString("template").orElse("welcome_v1"))
        .priority(Priority.parse(e.getString("priority").orElse("normal")))
        .notBefore(e.timestamp().plus(Durations.parse(e.getString("delay").orElse("0s"))))
        .reviewRequired(e.getBoolean("review").orElse(false));
    Object vars = e.get("vars");
    if (vars instanceof Map) {
      ((Map<?, ?>) vars).forEach((k, v) -> b.var(k.toString(), v));
    }
    return List.of(b.build());
  }

  @Override
  public Set<String> templatesReferenced() {
    return templates;
  }
}
