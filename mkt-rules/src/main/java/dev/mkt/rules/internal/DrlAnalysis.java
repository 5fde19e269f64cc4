package dev.mkt.rules.internal;

import dev.mkt.ActionType;
import dev.mkt.ActivitySpec;
import dev.mkt.internal.Durations;
import dev.mkt.rules.RuleProblem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what rules use from their DRL text: the windowed activity they read ({@code Activity.count},
 * {@code previousCount}, {@code previous}, {@code previousNumber}, {@code recent}, {@code streakBelow} with
 * literal arguments) and the templates they ask for ({@code actions.sendEmail("x")}, ...). Comments are ignored.
 *
 * <p>Capacities follow the literal thresholds: {@code count("t", "24h") > 5} keeps 7 timestamps, enough to tell
 * the count now and at the previous event apart around the threshold; {@code streakBelow(...) == 3} keeps 5
 * values; {@code previous(...)} keeps 2. Calls without literal arguments cannot be read; declare those with
 * {@code DrlRuleEngine.Builder.activity(ActivitySpec)}.
 */
public final class DrlAnalysis {
  private static final String STR = "\"((?:[^\"\\\\]|\\\\.)*)\"";
  private static final String CMP = "(?:\\s*(>=|>|==|<=|<|!=)\\s*(\\d+))?";
  private static final Pattern COUNT = Pattern.compile(
      "\\b(count|previousCount)\\s*\\(\\s*" + STR + "\\s*,\\s*" + STR + "\\s*\\)" + CMP);
  private static final Pattern PREVIOUS = Pattern.compile(
      "\\b(previous|previousNumber|recent)\\s*\\(\\s*" + STR + "\\s*,\\s*" + STR + "\\s*(?:,[^)]*)?\\)");
  private static final Pattern STREAK = Pattern.compile(
      "\\bstreakBelow\\s*\\(\\s*" + STR + "\\s*,\\s*" + STR + "\\s*,[^)]*\\)" + CMP);
  private static final Pattern SESSION_SECONDS = Pattern.compile("\\brecentSessionSeconds\\s*\\(\\s*\\)");
  private static final Pattern ACTION = Pattern.compile(
      "\\bactions\\s*\\.\\s*(sendEmail|inApp|createTask|postSocial|updateCrm|action)\\s*\\(\\s*" + STR
          + "(?:\\s*,\\s*" + STR + ")?\\s*\\)([^;]*)");
  private static final Pattern CHANNEL = Pattern.compile("\\.\\s*channel\\s*\\(\\s*" + STR + "\\s*\\)");
  private static final Pattern RULE = Pattern.compile(
      "(?m)^[ \\t]*rule\\s+(?:\"((?:[^\"\\\\]|\\\\.)*)\"|'([^']*)'|([^\\s\"']+))");

  /** A template a rule asks for, where. */
  public record TemplateRef(String channel, String template, ActionType type, String file, int line, int column,
      String rule) {
    /** {@code channel/template}, e.g. {@code email/welcome_v1}. */
    public String qualified() {
      return channel + "/" + template;
    }
  }

  /** What one or more DRL sources use. */
  public record Result(ActivitySpec spec, List<TemplateRef> templates, List<RuleProblem> problems) {}

  private static final Pattern INSERTS = Pattern.compile(
      "\\b(?:insert|insertLogical)\\s*\\(|\\bdrools\\s*\\.|\\b(?:kcontext|entryPoints|getEntryPoint|getKieRuntime)\\b");

  private DrlAnalysis() {}

  /**
   * Whether some rule may insert facts into the session (its DRL calls {@code insert}, {@code insertLogical}, or
   * reaches the session through {@code drools}, {@code kcontext} or an entry point). Comments are ignored.
   */
  public static boolean mayInsertFacts(List<DrlSource> sources) {
    for (DrlSource s : sources) {
      if (INSERTS.matcher(stripComments(s.text())).find()) {
        return true;
      }
    }
    return false;
  }

  public static Result analyze(List<DrlSource> sources) {
    ActivitySpec.Builder spec = ActivitySpec.builder();
    List<TemplateRef> templates = new ArrayList<>();
    List<RuleProblem> problems = new ArrayList<>();
    for (DrlSource s : sources) {
      String code = stripComments(s.text());
      Located at = new Located(s.name(), code);
      Matcher m = COUNT.matcher(code);
      while (m.find()) {
        Duration window;
        try {
          window = Durations.parse(unescape(m.group(3)));
        } catch (IllegalArgumentException e) {
          problems.add(at.problem(m.start(3), "window of " + m.group(1) + "(\"" + m.group(2) + "\", ...): "
              + e.getMessage()));
          continue;
        }
        if (window.isZero() || window.isNegative()) {
          problems.add(at.problem(m.start(3), "window must be > 0, but was '" + m.group(3) + "'"));
          continue;
        }
        int capacity = m.group(5) != null ? threshold(m.group(4), m.group(5)) : ActivitySpec.DEFAULT_COUNT_CAPACITY;
        if (capacity > ActivitySpec.MAX_CAPACITY) {
          problems.add(at.problem(m.start(5), "count threshold must be below " + (ActivitySpec.MAX_CAPACITY - 1)
              + ", but was " + m.group(5)));
          continue;
        }
        spec.count(unescape(m.group(2)), window, capacity);
      }
      m = PREVIOUS.matcher(code);
      while (m.find()) {
        int depth = m.group(1).equals("recent") ? ActivitySpec.DEFAULT_HISTORY_DEPTH : 2;
        spec.history(unescape(m.group(2)), unescape(m.group(3)), depth);
      }
      m = STREAK.matcher(code);
      while (m.find()) {
        int depth = m.group(4) != null ? threshold(m.group(3), m.group(4)) : ActivitySpec.DEFAULT_HISTORY_DEPTH;
        if (depth > ActivitySpec.MAX_CAPACITY) {
          problems.add(at.problem(m.start(4), "streak length must be below " + (ActivitySpec.MAX_CAPACITY - 1)
              + ", but was " + m.group(4)));
          continue;
        }
        spec.history(unescape(m.group(1)), unescape(m.group(2)), depth);
      }
      m = SESSION_SECONDS.matcher(code);
      while (m.find()) {
        spec.history("session_duration", "seconds", ActivitySpec.DEFAULT_HISTORY_DEPTH);
      }
      m = ACTION.matcher(code);
      while (m.find()) {
        String method = m.group(1);
        ActionType type;
        String template;
        String channel = null;
        switch (method) {
          case "sendEmail": type = ActionType.SEND_EMAIL; template = m.group(2); break;
          case "inApp": type = ActionType.IN_APP; template = m.group(2); break;
          case "createTask": type = ActionType.CREATE_TASK; template = m.group(2); break;
          case "updateCrm": type = ActionType.UPDATE_CRM; template = m.group(2); break;
          case "postSocial":
            type = ActionType.POST_SOCIAL;
            if (m.group(3) != null) {
              channel = "social." + m.group(2);
              template = m.group(3);
            } else {
              template = m.group(2);
            }
            break;
          default:
            if (m.group(3) == null) {
              continue;
            }
            try {
              type = ActionType.fromWireName(m.group(2));
            } catch (IllegalArgumentException e) {
              problems.add(at.problem(m.start(2), e.getMessage()));
              continue;
            }
            template = m.group(3);
        }
        Matcher ch = CHANNEL.matcher(m.group(4));
        if (ch.find()) {
          channel = unescape(ch.group(1));
        }
        int[] lc = at.lineColumn(m.start());
        templates.add(new TemplateRef(channel != null ? channel : type.defaultChannel(), unescape(template), type,
            s.name(), lc[0], lc[1], at.ruleAt(m.start())));
      }
    }
    return new Result(spec.build(), templates, problems);
  }

  /** Values to keep so that "op n" is exact now and at the previous event: n + 2. */
  private static int threshold(String op, String n) {
    long v = Long.parseLong(n);
    return (int) Math.max(2, Math.min(v + 2, Integer.MAX_VALUE));
  }

  private static String unescape(String s) {
    return s.indexOf('\\') < 0 ? s : s.replaceAll("\\\\(.)", "$1");
  }

  /** Replaces comments with spaces, keeping line and column positions. */
  static String stripComments(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < n && text.charAt(j) != c && text.charAt(j) != '\n') {
          j += text.charAt(j) == '\\' ? 2 : 1;
        }
        j = Math.min(j + 1, n);
        out.append(text, i, j);
        i = j;
      } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/' || c == '#' && lineStart(text, i)) {
        while (i < n && text.charAt(i) != '\n') {
          out.append(' ');
          i++;
        }
      } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
        int end = text.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        for (; i < end; i++) {
          out.append(text.charAt(i) == '\n' ? '\n' : ' ');
        }
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static boolean lineStart(String text, int i) {
    for (int k = i - 1; k >= 0; k--) {
      char c = text.charAt(k);
      if (c == '\n') {
        return true;
      }
      if (!Character.isWhitespace(c)) {
        return false;
      }
    }
    return true;
  }

  /** The rule whose declaration precedes line {@code line} (1-based), or null. */
  public static String ruleAtLine(String text, int line) {
    Located at = new Located("", stripComments(text));
    int offset = at.offsetOfLine(line);
    return at.ruleAt(offset);
  }

  /** Positions in one source. */
  private static final class Located {
    final String file;
    final String code;
    final int[] lineStarts;
    final List<int[]> rules = new ArrayList<>();
    final List<String> ruleNames = new ArrayList<>();

    Located(String file, String code) {
      this.file = file;
      this.code = code;
      List<Integer> starts = new ArrayList<>();
      starts.add(0);
      for (int i = 0; i < code.length(); i++) {
        if (code.charAt(i) == '\n') {
          starts.add(i + 1);
        }
      }
      lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
      Matcher m = RULE.matcher(code);
      while (m.find()) {
        rules.add(new int[] {m.start()});
        String name = m.group(1) != null ? unescape(m.group(1)) : m.group(2) != null ? m.group(2) : m.group(3);
        ruleNames.add(name);
      }
    }

    int[] lineColumn(int offset) {
      int lo = 0;
      int hi = lineStarts.length - 1;
      while (lo < hi) {
        int mid = (lo + hi + 1) >>> 1;
        if (lineStarts[mid] <= offset) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      return new int[] {lo + 1, offset - lineStarts[lo] + 1};
    }

    int offsetOfLine(int line) {
      if (line < 1) {
        return 0;
      }
      return line - 1 < lineStarts.length ? lineStarts[line - 1] + 0 : code.length();
    }

    String ruleAt(int offset) {
      String name = null;
      for (int i = 0; i < rules.size(); i++) {
        if (rules.get(i)[0] <= offset) {
          name = ruleNames.get(i);
        }
      }
      return name;
    }

    RuleProblem problem(int offset, String message) {
      int[] lc = lineColumn(offset);
      return new RuleProblem(file, lc[0], lc[1], ruleAt(offset), message, true);
    }
  }
}
