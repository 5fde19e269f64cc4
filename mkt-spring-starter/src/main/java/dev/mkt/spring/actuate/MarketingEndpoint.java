package dev.mkt.spring.actuate;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mkt.ActionStateException;
import dev.mkt.DispatchStats;
import dev.mkt.Marketing;
import dev.mkt.OutboxEntry;
import dev.mkt.OutboxState;
import dev.mkt.MarketingStats;
import dev.mkt.internal.DefaultMarketing;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.lang.Nullable;

/**
 * The {@code marketing} actuator endpoint ({@code /actuator/marketing}).
 *
 * <ul>
 *   <li>{@code GET /actuator/marketing}: counters, the rules loaded and the last reload error, dead-letter
 *       counts;</li>
 *   <li>{@code GET /actuator/marketing/dead-letters}: the event dead letters (newest last, at most 100), with
 *       their reasons;</li>
 *   <li>{@code GET /actuator/marketing/rules}: the rules loaded, reloads, the last reload error;</li>
 *   <li>{@code GET /actuator/marketing/dead-actions}: actions dispatch gave up on, with their reasons;</li>
 *   <li>{@code POST /actuator/marketing/replay} with {@code {"key": "<idempotency key>"}}: send a dead action
 *       again, with a fresh retry budget (after fixing its template or provider);</li>
 *   <li>{@code GET /actuator/marketing/review}: actions awaiting a human's approval;</li>
 *   <li>{@code POST /actuator/marketing/reload}: recompile the rules now; a failure keeps the old rules and is
 *       answered with the problems (file, line, rule).</li>
 * </ul>
 * Values are plain maps and lists, so the endpoint serializes the same under any JSON library the actuator
 * uses.
 */
@Endpoint(id = "marketing")
public class MarketingEndpoint {
  static final int MAX_LISTED = 100;

  private final Marketing marketing;
  private final RulesControl rules;
  private final ObjectMapper mapper = new ObjectMapper();

  /** @param rules the rules, or {@code null} if the engine has none that can be inspected */
  public MarketingEndpoint(Marketing marketing, RulesControl rules) {
    this.marketing = requireNonNull(marketing, "marketing");
    this.rules = rules;
  }

  /** Overview. */
  @ReadOperation
  public Map<String, Object> overview() {
    Map<String, Object> out = new LinkedHashMap<>();
    MarketingStats s = marketing.stats();
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("received", s.received());
    stats.put("duplicates", s.duplicates());
    stats.put("rejected", s.rejected());
    stats.put("appended", s.appended());
    stats.put("processed", s.processed());
    stats.put("lag", s.lag());
    stats.put("deadLettered", s.deadLettered());
    stats.put("actionsDecided", s.actionsDecided());
    stats.put("actionsQueued", s.actionsQueued());
    out.put("stats", stats);
    out.put("rules", rules());
    Map<String, Object> dead = new LinkedHashMap<>();
    dead.put("events", eventDeadLetterCount());
    DispatchStats d = marketing.dispatch().stats();
    dead.put("actions", d.count(OutboxState.DEAD));
    out.put("deadLetters", dead);
    Map<String, Object> outbox = new LinkedHashMap<>();
    d.outbox().forEach((state, n) -> outbox.put(state.name().toLowerCase(java.util.Locale.ROOT), n));
    out.put("outbox", outbox);
    out.put("breakers", new java.util.TreeMap<>(d.breakers()));
    return out;
  }

  /** {@code dead-letters}: the event dead letters; {@code rules}: the rules. */
  @ReadOperation
  public Object section(@Selector String section) {
    switch (section) {
      case "dead-letters":
        return eventDeadLetters();
      case "rules":
        return rules();
      case "dead-actions":
        return entries(marketing.dispatch().deadLetters(MAX_LISTED));
      case "review":
        return entries(marketing.dispatch().pendingReview(MAX_LISTED));
      default:
        throw new IllegalArgumentException("unknown section '" + section
            + "'; try dead-letters, dead-actions, review or rules");
    }
  }

  /**
   * {@code reload}: recompiles the rules. {@code replay} (with {@code key}): sends a dead action again.
   */
  @WriteOperation
  public Map<String, Object> act(@Selector String action, @Nullable String key) {
    if (action.equals("replay")) {
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException("replay needs the action's idempotency key: {\"key\": \"...\"}");
      }
      try {
        return entry(marketing.dispatch().replay(key));
      } catch (ActionStateException e) {
        return Map.of("replayed", false, "error", String.valueOf(e.getMessage()));
      }
    }
    if (!action.equals("reload")) {
      throw new IllegalArgumentException("unknown action '" + action + "'; try reload or replay");
    }
    if (rules == null) {
      return Map.of("reloaded", false, "error", Map.of("message", "the engine's rules cannot be reloaded"));
    }
    return rules.reload();
  }

  static List<Map<String, Object>> entries(List<OutboxEntry> entries) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (OutboxEntry e : entries) {
      out.add(entry(e));
    }
    return out;
  }

  /** An outbox entry without PII: the action's vars and the address are left out. */
  static Map<String, Object> entry(OutboxEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", e.key());
    m.put("state", e.state().name());
    m.put("rule", e.action().rule());
    m.put("userId", e.action().userId());
    m.put("channel", e.action().channel());
    m.put("template", e.action().template());
    m.put("attempts", e.attempts());
    m.put("reason", e.reason());
    m.put("provider", e.provider());
    m.put("dueAt", String.valueOf(e.dueAt()));
    m.put("updatedAt", String.valueOf(e.updatedAt()));
    return m;
  }

  Map<String, Object> rules() {
    return rules == null ? Map.of("engine", "none or custom") : rules.describe();
  }

  long eventDeadLetterCount() {
    return marketing instanceof DefaultMarketing ? ((DefaultMarketing) marketing).deadLetters().list().size() : 0;
  }

  @SuppressWarnings("unchecked")
  List<Map<String, Object>> eventDeadLetters() {
    if (!(marketing instanceof DefaultMarketing)) {
      return List.of();
    }
    List<ObjectNode> all = ((DefaultMarketing) marketing).deadLetters().list();
    List<Map<String, Object>> out = new ArrayList<>();
    for (ObjectNode n : all.subList(Math.max(0, all.size() - MAX_LISTED), all.size())) {
      ObjectNode copy = n.deepCopy();
      copy.remove("record"); // raw bytes (base64); may hold PII
      out.add(mapper.convertValue(copy, Map.class));
    }
    return out;
  }
}
