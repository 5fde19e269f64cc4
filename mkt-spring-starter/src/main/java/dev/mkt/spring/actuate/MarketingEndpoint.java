package dev.mkt.spring.actuate;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mkt.Marketing;
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

/**
 * The {@code marketing} actuator endpoint ({@code /actuator/marketing}).
 *
 * <ul>
 *   <li>{@code GET /actuator/marketing}: counters, the rules loaded and the last reload error, dead-letter
 *       counts;</li>
 *   <li>{@code GET /actuator/marketing/dead-letters}: the event dead letters (newest last, at most 100), with
 *       their reasons;</li>
 *   <li>{@code GET /actuator/marketing/rules}: the rules loaded, reloads, the last reload error;</li>
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
    out.put("deadLetters", dead);
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
      default:
        throw new IllegalArgumentException("unknown section '" + section + "'; try dead-letters or rules");
    }
  }

  /** {@code reload}: recompiles the rules. */
  @WriteOperation
  public Map<String, Object> act(@Selector String action) {
    if (!action.equals("reload")) {
      throw new IllegalArgumentException("unknown action '" + action + "'; try reload");
    }
    if (rules == null) {
      return Map.of("reloaded", false, "error", Map.of("message", "the engine's rules cannot be reloaded"));
    }
    return rules.reload();
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
