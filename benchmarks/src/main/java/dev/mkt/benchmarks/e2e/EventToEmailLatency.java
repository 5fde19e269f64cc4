package dev.mkt.benchmarks.e2e;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mkt.DispatchConfig;
import dev.mkt.DispatchLimits;
import dev.mkt.FsyncPolicy;
import dev.mkt.Marketing;
import dev.mkt.MarketingEvent;
import dev.mkt.TrackResult;
import dev.mkt.rules.DrlRuleEngine;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The seed's "real-time" claim, end to end: an event tracked at a fixed rate (open loop, 1,000 events/s by
 * default) until the email it triggers is accepted by an SMTP server. Each event is a verified {@code signup} of a
 * new user carrying the address; the DRL welcome rule decides {@code send_email welcome_v1}; the dispatcher renders
 * the shipped template and sends it over SMTP to GreenMail in the same JVM. Latency is measured from the event's
 * <em>intended</em> send time (so a stalled producer does not hide queueing: no coordinated omission) to the moment
 * GreenMail's delivery handler runs for the recipient, which is after DATA is received and before the SMTP server
 * answers 250.
 *
 * <ul>
 *   <li>{@code mkt}: {@code Marketing.track} with the default group-commit fsync, the DRL engine, the embedded
 *       outbox and the SMTP channel (pooled connections) — everything the starter wires;</li>
 *   <li>{@code inline}: the naive peer of the seed's edge function: the producer sends the email itself, on one
 *       open SMTP connection, before it takes the next event. No log, no rules, no outbox, no retries: the floor
 *       of what SMTP itself costs here.</li>
 * </ul>
 *
 * <p>Not JMH: JMH measures closed loops; an open-loop rate with per-event latencies needs its own harness. Run:
 * {@code mvn -B -pl benchmarks -am package -DskipTests} then
 * {@code java -cp benchmarks/target/benchmarks.jar dev.mkt.benchmarks.e2e.EventToEmailLatency [rate] [seconds]
 * [warmupSeconds] [impl,...]} (defaults {@code 1000 20 5 mkt,inline}). Results: docs/benchmarks.md.
 */
public final class EventToEmailLatency {
  private static final String WELCOME_DRL = "package bench;\n"
      + "import dev.mkt.rules.Event;\n"
      + "global dev.mkt.rules.Actions actions;\n"
      + "rule \"welcome\"\n"
      + "when\n"
      + "  Event( type == \"signup\", flag(\"email_verified\") == true )\n"
      + "then\n"
      + "  actions.sendEmail(\"welcome_v1\").once();\n"
      + "end\n";

  private EventToEmailLatency() {}

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    String[] impls = (args.length > 3 ? args[3] : "mkt,inline").split(",");
    System.out.printf("event -> email accepted by SMTP, %d events/s, %d s measured after %d s warm-up%n", rate,
        seconds, warmup);
    for (String impl : impls) {
      Result r = run(impl.trim(), rate, seconds, warmup);
      System.out.println(r);
    }
  }

  /** Latencies of one run. */
  record Result(String impl, int rate, long expected, long received, double achievedRate, long p50, long p90,
      long p99, long p999, long max) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%-7s %5d/s: received %d/%d (sent at %.0f/s)  p50 %.2f ms  p90 %.2f ms  "
          + "p99 %.2f ms  p99.9 %.2f ms  max %.2f ms", impl, rate, received, expected, achievedRate, p50 / 1e6,
          p90 / 1e6, p99 / 1e6, p999 / 1e6, max / 1e6);
    }
  }

  static Result run(String impl, int rate, int seconds, int warmup) throws Exception {
    GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    Map<String, Long> arrived = new ConcurrentHashMap<>();
    // The server receives every message in full over SMTP (MAIL, RCPT, DATA, 250) and then discards it: its
    // delivery handler records the arrival and hands the message to a user whose deliver() does nothing.
    // GreenMail's own mailbox store parses and indexes each message under one server-wide lock
    // (SmtpManager.send is synchronized) and, with its default handler, finds each new recipient's mailbox by a
    // linear scan of all users: in this JVM that took more CPU than the sender under test, and a real relay
    // does that work on its own machine. Both impls get the same server.
    GreenMailUser discard = (GreenMailUser) java.lang.reflect.Proxy.newProxyInstance(
        EventToEmailLatency.class.getClassLoader(), new Class<?>[] {GreenMailUser.class}, (proxy, method, a) -> {
          switch (method.getName()) {
            case "deliver": return null;
            case "getEmail": case "getLogin": case "getQualifiedMailboxName": return "discard@bench.test";
            case "hashCode": return System.identityHashCode(proxy);
            case "equals": return proxy == a[0];
            case "toString": return "discard@bench.test";
            default: throw new UnsupportedOperationException(method.getName());
          }
        });
    smtp.getUserManager().setMessageDeliveryHandler((message, address) -> {
      arrived.putIfAbsent(address.getEmail(), System.nanoTime());
      return discard;
    });
    Path dir = Files.createTempDirectory("mkt-e2e-latency");
    int total = rate * (seconds + warmup);
    long[] intended = new long[total];
    Sender sender = impl.equals("mkt") ? new EngineSender(dir, smtp.getSmtp().getPort())
        : impl.equals("inline") ? new InlineSender(smtp.getSmtp().getPort())
        : null;
    if (sender == null) {
      throw new IllegalArgumentException("impl must be mkt or inline, but was '" + impl + "'");
    }
    long periodNanos = 1_000_000_000L / rate;
    long start = System.nanoTime() + 100_000_000L;
    try {
      for (int i = 0; i < total; i++) {
        long at = start + i * periodNanos;
        long wait;
        while ((wait = at - System.nanoTime()) > 0) {
          if (wait > 200_000) {
            LockSupport.parkNanos(wait - 100_000);
          } else {
            Thread.onSpinWait();
          }
        }
        intended[i] = at;
        sender.send(i);
      }
      long producedIn = System.nanoTime() - start;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (arrived.size() < total && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      int from = rate * warmup;
      long[] lat = new long[total - from];
      int n = 0;
      for (int i = from; i < total; i++) {
        Long t = arrived.get(address(i));
        if (t != null) {
          lat[n++] = t - intended[i];
        }
      }
      String csv = System.getProperty("latency.csv");
      if (csv != null) { // -Dlatency.csv=file: one line per event, "sent_ms,latency_ms", to see stalls in time
        StringBuilder sb = new StringBuilder("sent_ms,latency_ms\n");
        for (int i = from; i < total; i++) {
          Long t = arrived.get(address(i));
          sb.append(String.format(Locale.ROOT, "%.3f,%.3f%n", (intended[i] - start) / 1e6,
              t == null ? -1.0 : (t - intended[i]) / 1e6));
        }
        Files.writeString(Path.of(csv + "." + impl), sb);
      }
      lat = Arrays.copyOf(lat, n);
      Arrays.sort(lat);
      return new Result(impl, rate, total - from, n, total / (producedIn / 1e9), pct(lat, 0.50), pct(lat, 0.90),
          pct(lat, 0.99), pct(lat, 0.999), n == 0 ? 0 : lat[n - 1]);
    } finally {
      sender.close();
      smtp.stop();
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  static String address(int i) {
    return "user" + i + "@bench.test";
  }

  private static long pct(long[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  interface Sender extends AutoCloseable {
    void send(int i) throws Exception;

    @Override
    void close() throws Exception;
  }

  /** The engine as the starter wires it. */
  static final class EngineSender implements Sender {
    private final Marketing mkt;

    EngineSender(Path dir, int smtpPort) {
      Map<String, String> email = new LinkedHashMap<>();
      email.put("email.from", "Acme <hello@acme.test>");
      email.put("email.product.name", "Acme");
      email.put("email.product.url", "https://app.acme.test");
      email.put("email.smtp.host", "127.0.0.1");
      email.put("email.smtp.port", Integer.toString(smtpPort));
      email.put("email.smtp.security", "none");
      this.mkt = Marketing.builder().dataDirectory(dir).fsync(FsyncPolicy.groupCommit())
          .ruleEngine(DrlRuleEngine.builder().drl("welcome.drl", WELCOME_DRL).build())
          .dispatch(DispatchConfig.custom().frequencyCaps()
              .limits(DispatchLimits.custom().emailPerHour(100_000_000).build()).build())
          .channelProperties(email).build();
    }

    @Override
    public void send(int i) {
      TrackResult r = mkt.track(MarketingEvent.builder("signup", "user" + i).id("e" + i)
          .put("email", address(i)).put("email_verified", true).build());
      if (!r.isAccepted()) {
        throw new IllegalStateException("not accepted: " + r);
      }
    }

    @Override
    public void close() {
      mkt.close();
    }
  }

  /** The naive peer: send inline, on the producer's thread, over one kept-open SMTP connection. */
  static final class InlineSender implements Sender {
    private final Session session;
    private final Transport transport;

    InlineSender(int smtpPort) throws Exception {
      Properties p = new Properties();
      p.put("mail.smtp.host", "127.0.0.1");
      p.put("mail.smtp.port", Integer.toString(smtpPort));
      this.session = Session.getInstance(p);
      this.transport = session.getTransport("smtp");
      transport.connect();
    }

    @Override
    public void send(int i) throws Exception {
      MimeMessage m = new MimeMessage(session);
      m.setFrom(new InternetAddress("hello@acme.test", "Acme"));
      m.setRecipient(Message.RecipientType.TO, new InternetAddress(address(i)));
      m.setSubject("Welcome to Acme, user" + i, "UTF-8");
      m.setText("Hi user" + i + ",\n\nyour Acme account is ready.\n", "UTF-8");
      m.saveChanges();
      transport.sendMessage(m, m.getAllRecipients());
    }

    @Override
    public void close() throws Exception {
      transport.close();
    }
  }
}
