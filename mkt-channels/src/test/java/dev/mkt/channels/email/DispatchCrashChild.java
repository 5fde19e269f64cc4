package dev.mkt.channels.email;

import dev.mkt.Action;
import dev.mkt.ActionType;
import dev.mkt.Activity;
import dev.mkt.Contact;
import dev.mkt.DispatchConfig;
import dev.mkt.DispatchLimits;
import dev.mkt.Marketing;
import dev.mkt.MarketingEvent;
import dev.mkt.OutboxState;
import dev.mkt.TrackResult;
import dev.mkt.spi.RuleEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The child JVM of {@link DispatchCrashTest}: an engine on the embedded log, state and outbox, sending over SMTP to
 * the parent's GreenMail. The first run tracks {@code n} verified signups (one welcome email each); every run
 * prints {@code READY} and dispatches; a run that finds every action finished prints {@code DONE} and exits. The
 * parent kills it with {@code kill -9} at random moments in between.
 */
public final class DispatchCrashChild {
  static final int CONCURRENCY = 4;

  private DispatchCrashChild() {}

  /** Every signup decides one welcome email, keyed by the event. */
  static final class Welcome implements RuleEngine {
    @Override
    public List<Action> evaluate(MarketingEvent e, Contact c, Activity a) {
      if (!e.type().equals("signup")) {
        return List.of();
      }
      return List.of(Action.builder().idempotencyKey("welcome:" + e.id()).rule("welcome").userId(e.userId())
          .eventId(e.id()).type(ActionType.SEND_EMAIL).template("welcome_v1").notBefore(e.timestamp()).build());
    }

    @Override
    public Set<String> templatesReferenced() {
      return Set.of("email/welcome_v1");
    }
  }

  private static long finished(Marketing mkt) {
    var stats = mkt.dispatch().stats();
    return stats.count(OutboxState.SENT) + stats.count(OutboxState.SUPPRESSED) + stats.count(OutboxState.DEAD);
  }

  static String address(int i) {
    return "u" + i + "@example.com";
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    int n = Integer.parseInt(args[2]);
    Map<String, String> email = Map.of("email.from", "Acme <hello@mail.acme.test>", "product.name", "Acme",
        "product.url", "https://app.acme.test", "email.smtp.host", "127.0.0.1",
        "email.smtp.port", Integer.toString(port), "email.smtp.security", "none", "email.smtp.timeout", "5s");
    Marketing mkt = Marketing.builder().dataDirectory(dir).ruleEngine(new Welcome())
        .dispatch(DispatchConfig.custom().frequencyCaps().concurrency(CONCURRENCY).pollInterval(Duration.ofMillis(5))
            .limits(DispatchLimits.custom().emailPerHour(1_000_000).build()).build())
        .channelProperties(email).build();
    Path tracked = dir.resolve("tracked");
    if (!Files.exists(tracked)) {
      TrackResult last = null;
      for (int i = 0; i < n; i++) {
        mkt.identify("u" + i, Map.of("email", address(i)));
        last = mkt.track(MarketingEvent.builder("signup", "u" + i).id("s" + i).put("email_verified", true).build());
      }
      last.durable().join();
      Files.createFile(tracked);
    }
    System.out.println("READY");
    System.out.flush();
    // Done when every action is finished (sent, or suppressed or dead: the parent then finds the email missing).
    while (finished(mkt) < n) {
      Thread.sleep(10);
    }
    mkt.close();
    System.out.println("DONE");
    System.out.flush();
  }
}
