package dev.mkt.benchmarks.rules;

import dev.mkt.MarketingEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic, realistic event mix for {@code users} users: 45% feature_usage, 30% session_duration (40% of them
 * shorter than 30 s), 8% churn_signal, 8% page_view (read by no rule), 4% upgrade, 3% payment_failed, 2% signup.
 * Users are skewed (a few heavy users, a long tail); events are in timestamp order at {@code perDay} events per
 * day, so the 24h windows hold about {@code perDay} events in total.
 */
final class EventMix {
  static final String[] FEATURES = {"export", "import", "share", "search", "report", "api", "invite", "billing"};

  private EventMix() {}

  static List<MarketingEvent> generate(int count, int users, int perDay, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
    long step = Math.max(1, 86_400_000L / perDay);
    List<MarketingEvent> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      double u = r.nextDouble();
      String user = "user-" + (int) (users * u * u);
      Instant ts = t0.plusMillis(i * step);
      int p = r.nextInt(100);
      MarketingEvent.Builder b;
      if (p < 45) {
        b = MarketingEvent.builder("feature_usage", user).put("feature_name", FEATURES[r.nextInt(FEATURES.length)]);
      } else if (p < 75) {
        int seconds = r.nextInt(100) < 40 ? r.nextInt(30) : 30 + r.nextInt(1800);
        b = MarketingEvent.builder("session_duration", user).put("seconds", seconds);
      } else if (p < 83) {
        b = MarketingEvent.builder("churn_signal", user).put("score", Math.round(r.nextDouble() * 100) / 100.0);
      } else if (p < 91) {
        b = MarketingEvent.builder("page_view", user).put("path", "/docs/" + r.nextInt(50));
      } else if (p < 95) {
        b = MarketingEvent.builder("upgrade", user).put("plan", r.nextBoolean() ? "pro" : "team");
      } else if (p < 98) {
        b = MarketingEvent.builder("payment_failed", user).put("retry_count", 1 + r.nextInt(3));
      } else {
        b = MarketingEvent.builder("signup", user).put("email_verified", r.nextInt(10) < 8);
      }
      out.add(b.id("ev-" + i).sessionId("s-" + user + "-" + (i / 5000)).timestamp(ts).build());
    }
    return out;
  }
}
