package dev.mkt.restart;

import dev.mkt.Action;
import dev.mkt.ActionType;
import dev.mkt.Activity;
import dev.mkt.ActivitySpec;
import dev.mkt.Contact;
import dev.mkt.EventTypes;
import dev.mkt.MarketingEvent;
import dev.mkt.Priority;
import dev.mkt.spi.RuleEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A test fixture: the seed's triggers written against the core {@link RuleEngine} SPI, so the core's restart
 * guarantees can be tested without the DRL module. Optionally slowed down, so a test can kill the process in
 * the middle of processing.
 */
public final class SeedLikeRules implements RuleEngine {
  static final ActivitySpec SPEC = ActivitySpec.builder()
      .count(EventTypes.FEATURE_USAGE, Duration.ofHours(24), 8)
      .history(EventTypes.SESSION_DURATION, "seconds", 8)
      .history(EventTypes.CHURN_SIGNAL, "score", 2)
      .build();

  private final long parkNanosPerEvent;

  public SeedLikeRules(long parkNanosPerEvent) {
    this.parkNanosPerEvent = parkNanosPerEvent;
  }

  @Override
  public ActivitySpec activitySpec() {
    return SPEC;
  }

  @Override
  public List<Action> evaluate(MarketingEvent e, Contact c, Activity a) {
    if (parkNanosPerEvent > 0) {
      LockSupport.parkNanos(parkNanosPerEvent);
    }
    List<Action> out = new ArrayList<>();
    String u = e.userId();
    if (e.type().equals(EventTypes.SIGNUP) && e.getBoolean("email_verified").orElse(false)) {
      out.add(email(e, c, "welcome", u + ":once", "welcome_v1", Duration.ZERO));
      out.add(email(e, c, "welcome", u + ":once:day2", "welcome_day2", Duration.ofDays(2)));
      out.add(email(e, c, "welcome", u + ":once:day5", "welcome_day5", Duration.ofDays(5)));
    } else if (e.type().equals(EventTypes.FEATURE_USAGE)) {
      if (a.count(EventTypes.FEATURE_USAGE, "24h") > 5 && a.previousCount(EventTypes.FEATURE_USAGE, "24h") <= 5) {
        out.add(email(e, c, "power_user", u + ":" + e.id(), "pro_tip_v1", Duration.ZERO).toBuilder()
            .var("feature", e.getString("feature_name").orElse("")).build());
      }
    } else if (e.type().equals(EventTypes.SESSION_DURATION)) {
      if (e.getDouble("seconds").orElse(1e9) < 30 && a.streakBelow(EventTypes.SESSION_DURATION, "seconds", 30) == 3) {
        out.add(email(e, c, "winback", u + ":" + e.id(), "winback_survey_v1", Duration.ZERO));
      }
    } else if (e.type().equals(EventTypes.CHURN_SIGNAL)) {
      double score = e.getDouble("score").orElse(0.0);
      double prev = a.previousNumber(EventTypes.CHURN_SIGNAL, "score").orElse(0.0);
      if (score > 0.8 && prev <= 0.8) {
        out.add(Action.builder().idempotencyKey("churn:" + u + ":" + e.id()).rule("churn").userId(u).eventId(e.id())
            .type(ActionType.CREATE_TASK).template("retention_review").priority(Priority.HIGH)
            .notBefore(e.timestamp()).var("plan", c.plan().orElse(null)).build());
      }
    }
    return out;
  }

  private static Action email(MarketingEvent e, Contact c, String rule, String occurrence, String template,
      Duration delay) {
    return Action.builder().idempotencyKey(rule + ":" + occurrence).rule(rule).userId(e.userId()).eventId(e.id())
        .type(ActionType.SEND_EMAIL).template(template).notBefore(e.timestamp().plus(delay))
        .var("email", c.email().orElse(null)).var("plan", c.plan().orElse(null)).build();
  }
}
