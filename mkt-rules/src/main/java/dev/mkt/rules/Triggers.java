package dev.mkt.rules;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mkt.ActionType;
import dev.mkt.Priority;
import dev.mkt.internal.Durations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Triggers from configuration, compiled into DRL.
 *
 * <p>A trigger file is YAML or JSON: either a list of triggers, or an object with a {@code triggers} list (the
 * seed's {@code marketingConfig} shape; other keys are ignored). Condition entries:
 * <ul>
 *   <li>{@code count: N, window: W} (window default {@code 24h}): the user's events of this type in
 *       {@code (t-W, t]} first exceed N (more than N now, at most N at the previous one);</li>
 *   <li>{@code field: true|false} or {@code field: "text"}: the payload field equals it;</li>
 *   <li>{@code field: 0.8} (a number): the field crosses above it: {@code > 0.8} now, and the previous event of
 *       this type had it {@code <= 0.8} or not at all;</li>
 *   <li>{@code field: {gt|gte|lt|lte|eq|ne: value}}: a plain comparison on this event;</li>
 *   <li>{@code streak: {field: seconds, below: 30, count: 3}}: this is the {@code count}-th consecutive event of the
 *       type with the field below the bound (fires once per streak).</li>
 * </ul>
 * Other keys of a trigger: {@code action} ({@code send_email}, {@code in_app}, {@code create_task} alias
 * {@code create_ticket}, {@code post_social}, {@code update_crm}), {@code template}, {@code delay}
 * ({@code immediate} or a duration like {@code 2d}), {@code priority}, {@code once}, {@code channel}.
 */
public final class Triggers {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,128}");
  private static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
  private static final Set<String> KEYS = Set.of("id", "event", "condition", "action", "template", "delay",
      "priority", "once", "channel", "task");
  private static final Map<String, String> OPS = Map.of("gt", ">", "gte", ">=", "lt", "<", "lte", "<=", "eq", "==",
      "ne", "!=");

  private Triggers() {}

  /**
   * Parses a trigger file ({@code .json} as JSON, anything else as YAML).
   *
   * @throws RuleCompilationException naming the file, line and trigger of each problem
   */
  public static List<Trigger> parse(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read trigger file " + file, e);
    }
    return parse(file.toString(), text);
  }

  /**
   * Parses trigger text. {@code name} names the source in problems; YAML is a superset of JSON, so both parse.
   *
   * @throws RuleCompilationException naming the line and trigger of each problem
   */
  public static List<Trigger> parse(String name, String text) {
    ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
    List<Trigger> out = new ArrayList<>();
    List<RuleProblem> problems = new ArrayList<>();
    try (JsonParser p = mapper.getFactory().createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return List.of();
      }
      if (t == JsonToken.START_OBJECT) {
        // { triggers: [...], other: ... }
        boolean found = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken v = p.nextToken();
          if (field.equals("triggers") && v == JsonToken.START_ARRAY) {
            found = true;
            readArray(name, p, mapper, out, problems);
          } else {
            p.skipChildren();
          }
        }
        if (!found) {
          problems.add(new RuleProblem(name, 1, 1, null, "expected a list of triggers or an object with a "
              + "'triggers' list", true));
        }
      } else if (t == JsonToken.START_ARRAY) {
        readArray(name, p, mapper, out, problems);
      } else {
        problems.add(new RuleProblem(name, line(p.currentLocation()), 1, null,
            "expected a list of triggers or an object with a 'triggers' list, but was " + t, true));
      }
    } catch (JsonProcessingException e) {
      JsonLocation l = e.getLocation();
      problems.add(new RuleProblem(name, l == null ? 0 : l.getLineNr(), l == null ? 0 : l.getColumnNr(), null,
          "not valid YAML/JSON: " + e.getOriginalMessage(), true));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Set<String> ids = new HashSet<>();
    for (Trigger tr : out) {
      if (!ids.add(tr.id())) {
        problems.add(new RuleProblem(name, tr.sourceLine(), 1, tr.id(), "duplicate trigger id '" + tr.id() + "'",
            true));
      }
    }
    if (!problems.isEmpty()) {
      throw new RuleCompilationException(problems);
    }
    return out;
  }

  private static int line(JsonLocation l) {
    return l == null ? 0 : l.getLineNr();
  }

  private static void readArray(String name, JsonParser p, ObjectMapper mapper, List<Trigger> out,
      List<RuleProblem> problems) throws IOException {
    int index = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
      index++;
      int line = line(p.currentTokenLocation());
      JsonNode node = mapper.readTree(p);
      try {
        out.add(trigger(node, index, line));
      } catch (IllegalArgumentException e) {
        String id = node != null && node.path("id").isTextual() ? node.path("id").textValue() : "#" + index;
        problems.add(new RuleProblem(name, line, 1, id, e.getMessage(), true));
      }
    }
  }

  private static Trigger trigger(JsonNode n, int index, int line) {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("trigger #" + index + " must be an object, but was "
          + (n == null ? "null" : n.getNodeType().toString().toLowerCase(Locale.ROOT)));
    }
    n.fieldNames().forEachRemaining(f -> {
      if (!KEYS.contains(f)) {
        throw new IllegalArgumentException("unknown key '" + f + "'; a trigger has " + new java.util.TreeSet<>(KEYS));
      }
    });
    String id = requiredName(n, "id", "trigger #" + index);
    String event = requiredName(n, "event", "trigger '" + id + "'");
    String what = "trigger '" + id + "'";
    ActionType action;
    try {
      action = ActionType.fromWireName(text(n, "action", what));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + ": " + e.getMessage());
    }
    String template = n.hasNonNull("template") ? text(n, "template", what)
        : n.hasNonNull("task") ? text(n, "task", what) : action == ActionType.CREATE_TASK ? id : null;
    if (template == null) {
      throw new IllegalArgumentException(what + ": template is required for " + action.wireName());
    }
    checkName(what + ": template", template);
    Duration delay = Duration.ZERO;
    if (n.hasNonNull("delay")) {
      String d = n.get("delay").asText();
      if (!d.equalsIgnoreCase("immediate")) {
        try {
          delay = Durations.parse(d);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(what + ": delay must be 'immediate' or " + e.getMessage()
              .replace("duration must be ", ""));
        }
      }
    }
    Priority priority = Priority.NORMAL;
    if (n.hasNonNull("priority")) {
      try {
        priority = Priority.parse(n.get("priority").asText());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(what + ": " + e.getMessage());
      }
    }
    boolean once = false;
    if (n.has("once")) {
      if (!n.get("once").isBoolean()) {
        throw new IllegalArgumentException(what + ": once must be true or false, but was " + n.get("once"));
      }
      once = n.get("once").booleanValue();
    }
    String channel = null;
    if (n.hasNonNull("channel")) {
      channel = text(n, "channel", what);
      if (!CHANNEL.matcher(channel).matches()) {
        throw new IllegalArgumentException(what + ": channel must match [A-Za-z0-9_.-]{1,64}, but was '" + channel
            + "'");
      }
    }
    Map<String, Object> condition = new LinkedHashMap<>();
    JsonNode c = n.get("condition");
    if (c != null && !c.isNull()) {
      if (!c.isObject()) {
        throw new IllegalArgumentException(what + ": condition must be an object, but was " + c);
      }
      ObjectMapper m = new ObjectMapper();
      c.fields().forEachRemaining(e -> condition.put(e.getKey(), m.convertValue(e.getValue(), Object.class)));
    }
    Trigger tr = new Trigger(id, event, condition, action, template, delay, priority, once, channel, line);
    conditionDrl(tr); // validates the condition
    return tr;
  }

  private static String text(JsonNode n, String field, String what) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException(what + ": " + field + " is required");
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException(what + ": " + field + " must be a string, but was " + v);
    }
    return v.textValue();
  }

  private static String requiredName(JsonNode n, String field, String what) {
    String s = text(n, field, what);
    checkName(what + ": " + field, s);
    return s;
  }

  private static void checkName(String what, String s) {
    if (!NAME.matcher(s).matches()) {
      throw new IllegalArgumentException(what + " must match [A-Za-z0-9_.-]{1,128}, but was '" + s + "'");
    }
  }

  /**
   * The DRL for triggers, one rule per trigger, in package {@code mkt.triggers}.
   *
   * @param sourceName named in the header comment
   */
  public static String toDrl(List<Trigger> triggers, String sourceName) {
    StringBuilder sb = new StringBuilder();
    sb.append("// Generated by mkt from ").append(sourceName.replace('\n', ' ')).append(". Do not edit; edit the "
        + "trigger file.\n");
    sb.append("package mkt.triggers;\n\n");
    sb.append("import dev.mkt.Activity;\nimport dev.mkt.Priority;\nimport dev.mkt.rules.Event;\n");
    sb.append("global dev.mkt.rules.Actions actions;\n");
    for (Trigger t : triggers) {
      String[] cond = conditionDrl(t);
      sb.append("\n// trigger '").append(t.id()).append("'")
          .append(t.sourceLine() > 0 ? " (line " + t.sourceLine() + ")" : "").append('\n');
      sb.append("rule \"").append(t.id()).append("\"\nwhen\n");
      sb.append("    $e : Event( type == \"").append(t.event()).append('"').append(cond[0]).append(" )\n");
      if (!cond[1].isEmpty()) {
        sb.append("    Activity( ").append(cond[1]).append(" )\n");
      }
      sb.append("then\n    actions.action(\"").append(t.action().wireName()).append("\", \"").append(t.template())
          .append("\")");
      if (!t.delay().isZero()) {
        sb.append(".after(\"").append(Durations.format(t.delay())).append("\")");
      }
      if (t.priority() != Priority.NORMAL) {
        sb.append(".priority(Priority.").append(t.priority().name()).append(')');
      }
      if (t.channel() != null) {
        sb.append(".channel(\"").append(t.channel()).append("\")");
      }
      if (t.once()) {
        sb.append(".once()");
      }
      sb.append(";\nend\n");
    }
    return sb.toString();
  }

  /** [event constraints (each prefixed ", "), activity constraints]; validates. */
  private static String[] conditionDrl(Trigger t) {
    String what = "trigger '" + t.id() + "'";
    StringBuilder ev = new StringBuilder();
    List<String> act = new ArrayList<>();
    Map<String, Object> c = t.condition();
    if (c.containsKey("window") && !c.containsKey("count")) {
      throw new IllegalArgumentException(what + ": condition.window needs condition.count");
    }
    for (Map.Entry<String, Object> e : c.entrySet()) {
      String f = e.getKey();
      Object v = e.getValue();
      switch (f) {
        case "window":
          break;
        case "count": {
          long n = nonNegativeInt(what + ": condition.count", v);
          Object w = c.getOrDefault("window", "24h");
          String window;
          try {
            positive(Durations.parse(String.valueOf(w)));
            window = String.valueOf(w).trim(); // as written, once it parses: digits, units or ISO-8601 only
          } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(what + ": condition.window " + ex.getMessage().replace("duration ", ""));
          }
          act.add("count(\"" + t.event() + "\", \"" + window + "\") > " + n);
          act.add("previousCount(\"" + t.event() + "\", \"" + window + "\") <= " + n);
          break;
        }
        case "streak": {
          if (!(v instanceof Map)) {
            throw new IllegalArgumentException(what + ": condition.streak must be {field, below, count}, but was " + v);
          }
          Map<?, ?> s = (Map<?, ?>) v;
          Object field = s.get("field");
          if (!(field instanceof String)) {
            throw new IllegalArgumentException(what + ": condition.streak.field must be a field name, but was " + field);
          }
          checkName(what + ": condition.streak.field", (String) field);
          double below = number(what + ": condition.streak.below", s.get("below"));
          long n = nonNegativeInt(what + ": condition.streak.count", s.get("count"));
          if (n < 1) {
            throw new IllegalArgumentException(what + ": condition.streak.count must be >= 1, but was " + n);
          }
          ev.append(", number(\"").append(field).append("\") < ").append(literal(below));
          act.add("streakBelow(\"" + t.event() + "\", \"" + field + "\", " + literal(below) + ") == " + n);
          break;
        }
        default:
          checkName(what + ": condition field", f);
          if (v instanceof Boolean) {
            ev.append(", flag(\"").append(f).append("\") == ").append(v);
          } else if (v instanceof String) {
            checkText(what + ": condition." + f, (String) v);
            ev.append(", text(\"").append(f).append("\") == \"").append(v).append('"');
          } else if (v instanceof Number) {
            String x = literal(((Number) v).doubleValue());
            ev.append(", number(\"").append(f).append("\") > ").append(x);
            act.add("previousNumber(\"" + t.event() + "\", \"" + f + "\", Double.NEGATIVE_INFINITY) <= " + x);
          } else if (v instanceof Map && ((Map<?, ?>) v).size() == 1) {
            Map.Entry<?, ?> op = ((Map<?, ?>) v).entrySet().iterator().next();
            String sym = OPS.get(String.valueOf(op.getKey()));
            if (sym == null) {
              throw new IllegalArgumentException(what + ": condition." + f + " operator must be one of "
                  + new java.util.TreeSet<>(OPS.keySet()) + ", but was '" + op.getKey() + "'");
            }
            Object x = op.getValue();
            if (x instanceof Number) {
              ev.append(", number(\"").append(f).append("\") ").append(sym).append(' ')
                  .append(literal(((Number) x).doubleValue()));
            } else if (x instanceof String && (sym.equals("==") || sym.equals("!="))) {
              checkText(what + ": condition." + f, (String) x);
              ev.append(", text(\"").append(f).append("\") ").append(sym).append(" \"").append(x).append('"');
            } else if (x instanceof Boolean && (sym.equals("==") || sym.equals("!="))) {
              ev.append(", flag(\"").append(f).append("\") ").append(sym).append(' ').append(x);
            } else {
              throw new IllegalArgumentException(what + ": condition." + f + "." + op.getKey()
                  + " must be a number (or a string/boolean for eq/ne), but was " + x);
            }
          } else {
            throw new IllegalArgumentException(what + ": condition." + f + " must be a boolean, string, number or "
                + "{gt|gte|lt|lte|eq|ne: value}, but was " + v);
          }
      }
    }
    return new String[] {ev.toString(), String.join(", ", act)};
  }

  private static Duration positive(Duration d) {
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException("must be > 0, but was " + d);
    }
    return d;
  }

  private static long nonNegativeInt(String what, Object v) {
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < 0
        || ((Number) v).longValue() > 1000) {
      throw new IllegalArgumentException(what + " must be an integer in [0, 1000], but was " + v);
    }
    return ((Number) v).longValue();
  }

  private static double number(String what, Object v) {
    if (!(v instanceof Number)) {
      throw new IllegalArgumentException(what + " must be a number, but was " + v);
    }
    return ((Number) v).doubleValue();
  }

  private static String literal(double d) {
    if (!Double.isFinite(d)) {
      throw new IllegalArgumentException("condition numbers must be finite, but was " + d);
    }
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  private static void checkText(String what, String s) {
    if (s.length() > 256 || s.chars().anyMatch(ch -> ch == '"' || ch == '\\' || ch < 0x20)) {
      throw new IllegalArgumentException(what + " must be at most 256 characters without quotes, backslashes or "
          + "control characters, but was '" + s + "'");
    }
  }
}
