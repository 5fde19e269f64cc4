package dev.mkt.benchmarks.dispatch;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mkt.Action;
import dev.mkt.ActionType;
import dev.mkt.Activity;
import dev.mkt.Contact;
import dev.mkt.DispatchConfig;
import dev.mkt.DispatchLimits;
import dev.mkt.Marketing;
import dev.mkt.MarketingEvent;
import dev.mkt.channels.TemplateSet;
import dev.mkt.spi.RuleEngine;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Emails per second from decided actions to a local SMTP server (GreenMail, in the same JVM).
 *
 * <ul>
 *   <li>{@code mkt}: the engine end to end. Each operation tracks {@value #BATCH} events whose rule decides one
 *       {@code welcome_v1} email each; the reactor puts them in the embedded outbox, and the dispatcher (16
 *       workers) runs the gates, renders the Pebble templates and sends through {@code email.smtp}'s pool of 8
 *       kept-open connections. One batch is kept in flight: an operation tracks its batch, then waits until the
 *       previous batch is accepted by the server, so the measured rate is the steady rate of emails sent.</li>
 *   <li>{@code naive}: what a first implementation does: render the same templates and call
 *       {@code Transport.send(message)} per email, one after another (a TCP connection, EHLO and QUIT per
 *       message), with no outbox, no gates and no retries.</li>
 *   <li>{@code limit}: the ceiling of this SMTP server and client stack: 16 threads, each with its own kept-open
 *       connection, sending one pre-built message over and over. No rendering, no outbox, no gates: what is
 *       left between it and {@code mkt} is mkt's own cost.</li>
 * </ul>
 * A result is emails per second (operations per invocation = {@value #BATCH}). Goals (issue 4): {@code mkt}
 * at least 2,000 emails/s and at least 10x {@code naive}. GreenMail runs in the benchmark JVM and takes CPU from
 * the sender; a real SMTP relay on another machine leaves more for mkt.
 *
 * <p>Run: {@code mvn -B -pl benchmarks -am package -DskipTests && java -jar benchmarks/target/benchmarks.jar
 * DispatchBenchmark} (smoke: add {@code -f 1 -wi 1 -i 2 -r 2s}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g"})
public class DispatchBenchmark {
  static final int BATCH = 500;
  static final int USERS = 50;

  public enum Impl { mkt, naive, limit }

  @Param({"mkt", "naive", "limit"})
  public Impl impl;

  /** Dispatcher workers and SMTP connections for {@code mkt}, sender threads and connections for {@code limit}. */
  @Param("16")
  public int connections;

  private GreenMail smtp;
  private Path dir;
  private Marketing mkt;
  private long seq;
  private long issued;
  private Session session;
  private TemplateSet templates;
  private java.util.concurrent.ExecutorService pool;
  private List<Transport> transports;
  private MimeMessage prebuilt;

  /** The seed's welcome rule: every {@code signup} decides one email, keyed by the event. */
  static final class WelcomeRule implements RuleEngine {
    @Override
    public List<Action> evaluate(MarketingEvent e, Contact c, Activity a) {
      if (!e.type().equals("signup")) {
        return List.of();
      }
      return List.of(Action.builder().idempotencyKey("welcome:" + e.id()).rule("welcome_sequence")
          .userId(e.userId()).eventId(e.id()).type(ActionType.SEND_EMAIL).template("welcome_v1")
          .notBefore(e.timestamp()).build());
    }

    @Override
    public Set<String> templatesReferenced() {
      return Set.of("email/welcome_v1");
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    // mkt's SMTP provider names jakarta-mail's stream provider (see JakartaMail in mkt-channels); GreenMail, in
    // this JVM, benefits too. Set it for both impls so the server side costs the same in both runs.
    System.setProperty("jakarta.mail.util.StreamProvider", "org.eclipse.angus.mail.util.MailStreamProvider");
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    int port = smtp.getSmtp().getPort();
    if (impl == Impl.mkt) {
      dir = Files.createTempDirectory("mkt-dispatch-bench");
      mkt = Marketing.builder().dataDirectory(dir).ruleEngine(new WelcomeRule())
          .dispatch(DispatchConfig.custom().frequencyCaps().concurrency(connections)
              .limits(DispatchLimits.custom().emailPerHour(Integer.MAX_VALUE).build()).build())
          .channelProperty("email.from", "Acme <hello@mail.acme.test>")
          .channelProperty("email.product.name", "Acme")
          .channelProperty("email.product.url", "https://app.acme.test")
          .channelProperty("email.smtp.host", "127.0.0.1")
          .channelProperty("email.smtp.port", Integer.toString(port))
          .channelProperty("email.smtp.security", "none")
          .channelProperty("email.smtp.pool-size", Integer.toString(connections))
          .build();
      for (int u = 0; u < USERS; u++) {
        mkt.identify("u" + u, Map.of("email", "u" + u + "@example.com", "name", "User " + u));
      }
      mkt.awaitProcessed(Duration.ofSeconds(30));
    } else if (impl == Impl.limit) {
      Properties p = new Properties();
      p.put("mail.smtp.host", "127.0.0.1");
      p.put("mail.smtp.port", Integer.toString(port));
      session = Session.getInstance(p);
      pool = java.util.concurrent.Executors.newFixedThreadPool(connections);
      transports = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        Transport t = session.getTransport("smtp");
        t.connect();
        transports.add(t);
      }
      templates = TemplateSet.load(List.of("classpath:mkt/templates/email"), List.of("subject", "html", "text"),
          DispatchBenchmark.class.getClassLoader());
      prebuilt = naiveMessage(0); // the same size and structure as the others send
      prebuilt.saveChanges();
    } else {
      Properties p = new Properties();
      p.put("mail.smtp.host", "127.0.0.1");
      p.put("mail.smtp.port", Integer.toString(port));
      // Name the EHLO host, so no per-connection local host name lookup slows the baseline down.
      p.put("mail.smtp.localhost", "mail.acme.test");
      session = Session.getInstance(p);
      templates = TemplateSet.load(List.of("classpath:mkt/templates/email"), List.of("subject", "html", "text"),
          DispatchBenchmark.class.getClassLoader());
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int send() throws Exception {
    switch (impl) {
      case mkt: return sendMkt();
      case naive: return sendNaive();
      default: return sendLimit();
    }
  }

  private int sendLimit() throws Exception {
    List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < connections; t++) {
      Transport tr = transports.get(t);
      int n = BATCH / connections + (t < BATCH % connections ? 1 : 0);
      fs.add(pool.submit(() -> {
        for (int i = 0; i < n; i++) {
          tr.sendMessage(prebuilt, prebuilt.getAllRecipients());
        }
        return null;
      }));
    }
    for (java.util.concurrent.Future<?> f : fs) {
      f.get();
    }
    return BATCH;
  }

  private int sendMkt() throws Exception {
    List<MarketingEvent> batch = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      long n = seq++;
      batch.add(MarketingEvent.builder("signup", "u" + (n % USERS)).id("s" + n).put("email_verified", true).build());
    }
    mkt.trackAll(batch);
    // Keep one batch in flight: wait until the previous batch is sent, so tracking the next batch overlaps
    // with sending this one (a steady stream, as in production), and every counted email was sent.
    long target = issued;
    issued += BATCH;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (mkt.dispatch().stats().count(dev.mkt.OutboxState.SENT) < target) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("dispatch did not keep up: " + mkt.dispatch().stats());
      }
      Thread.sleep(1);
    }
    return BATCH;
  }

  private int sendNaive() throws Exception {
    for (int i = 0; i < BATCH; i++) {
      Transport.send(naiveMessage(seq++));
    }
    return BATCH;
  }

  /** The welcome email as a first implementation builds it with jakarta-mail and Pebble. */
  private MimeMessage naiveMessage(long n) throws Exception {
    {
      Map<String, Object> ctx = new HashMap<>();
      ctx.put("product", Map.of("name", "Acme", "url", "https://app.acme.test"));
      ctx.put("contact", Map.of("first_name", "User", "name", "User " + (n % USERS)));
      ctx.put("unsubscribe_url", "");
      MimeMessage m = new MimeMessage(session);
      m.setFrom(new InternetAddress("hello@mail.acme.test", "Acme"));
      m.setRecipient(Message.RecipientType.TO, new InternetAddress("u" + (n % USERS) + "@example.com"));
      m.setSubject(templates.render("welcome_v1", "subject", false, Locale.ROOT, ctx).strip(), "UTF-8");
      MimeMultipart alt = new MimeMultipart("alternative");
      MimeBodyPart text = new MimeBodyPart();
      text.setText(templates.render("welcome_v1", "text", false, Locale.ROOT, ctx), "UTF-8", "plain");
      MimeBodyPart html = new MimeBodyPart();
      html.setText(templates.render("welcome_v1", "html", true, Locale.ROOT, ctx), "UTF-8", "html");
      alt.addBodyPart(text);
      alt.addBodyPart(html);
      m.setContent(alt);
      return m;
    }
  }

  @TearDown(Level.Iteration)
  public void purge() throws Exception {
    smtp.purgeEmailFromAllMailboxes();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    if (mkt != null) {
      mkt.close();
    }
    if (pool != null) {
      pool.shutdownNow();
      for (Transport t : transports) {
        t.close();
      }
    }
    smtp.stop();
    if (dir != null) {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> {
          try {
            Files.delete(p);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      }
    }
  }
}
