package dev.mkt.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mkt.Marketing;
import dev.mkt.MarketingEvent;
import dev.mkt.TrackResult;
import dev.mkt.StandardWebhooks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives realistic traffic into the demo: every tick a new user arrives with one of these stories, and the stories
 * of earlier users go on.
 *
 * <ul>
 *   <li><b>verified signup</b>: identify (email, name, time zone), {@code signup} with {@code email_verified=true}
 *       — the welcome email;</li>
 *   <li><b>unverified signup</b>: {@code email_verified=false} — no welcome;</li>
 *   <li><b>power user</b>: a burst of seven {@code feature_usage} events within seconds — the pro tip, once;</li>
 *   <li><b>payment trouble</b>: {@code payment_failed} with {@code retry_count} 1, 2, 3 — one recovery email on
 *       the first retry;</li>
 *   <li><b>drifting away</b>: three sessions shorter than 30 s — the win-back survey;</li>
 *   <li><b>churn risk</b>: a {@code churn_signal} with score 0.9 — a retention task and the help offer.</li>
 * </ul>
 *
 * Half of the events go through the app's own code ({@link Marketing#track}), half as signed webhooks to the
 * ingest endpoint, rotating between the mkt JSON, Segment and CloudEvents formats, as an analytics pipeline
 * would send them.
 */
public final class TrafficSimulator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TrafficSimulator.class);
  private static final String[] FIRST = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Ken", "Margaret", "Linus",
      "Frances", "Donald", "Radia", "Dennis", "Hedy", "John", "Katherine", "Tim"};
  private static final String[] ZONES = {"Europe/Berlin", "America/New_York", "Asia/Tokyo", "Europe/London",
      "America/Los_Angeles", "Australia/Sydney"};
  private static final String[] FEATURES = {"export", "share", "search", "tags", "templates", "offline"};

  /** What happens to one user. */
  public enum Story { VERIFIED_SIGNUP, UNVERIFIED_SIGNUP, POWER_USER, PAYMENT_TROUBLE, DRIFTING_AWAY, CHURN_RISK }

  private record Step(long atMillis, long seq, String userId, String type, Map<String, Object> payload,
      String sessionId) implements Comparable<Step> {
    @Override
    public int compareTo(Step o) {
      int c = Long.compare(atMillis, o.atMillis);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final Marketing marketing;
  private final StandardWebhooks signer;
  private volatile URI ingest;
  private final Duration interval;
  private final int maxUsers;
  private final Random random;
  /** Distinguishes this run's users and event ids from those of earlier runs kept in the data directory. */
  private final String run = Long.toString(System.currentTimeMillis() / 1000 % 1_000_000, 36);
  private final PriorityQueue<Step> steps = new PriorityQueue<>();
  private final AtomicLong seq = new AtomicLong();
  private final AtomicInteger users = new AtomicInteger();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong viaHttp = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  /** Built on the timer thread at the first webhook, not at start-up (it loads the JDK's CA store). */
  private HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "demo-simulator");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean running;

  /**
   * @param signer signs the webhooks, or {@code null} to send everything through {@link Marketing#track}
   */
  public TrafficSimulator(Marketing marketing, StandardWebhooks signer, Duration interval, int maxUsers,
      long seed) {
    this.marketing = marketing;
    this.signer = signer;
    this.interval = interval;
    this.maxUsers = maxUsers;
    this.random = new Random(seed);
  }

  /** Starts ticking, sending webhooks to {@code ingest}. */
  public synchronized void start(URI ingest) {
    this.ingest = ingest;
    if (running) {
      return;
    }
    running = true;
    timer.scheduleWithFixedDelay(this::tickQuietly, 0, 250, TimeUnit.MILLISECONDS);
    log.info("simulator: a new user every {} ms, up to {}", interval.toMillis(), maxUsers);
  }

  /** Stops ticking; pending steps stay queued. */
  public synchronized void stop() {
    running = false;
  }

  public boolean running() {
    return running;
  }

  public int users() {
    return users.get();
  }

  public long eventsSent() {
    return sent.get();
  }

  public long eventsViaHttp() {
    return viaHttp.get();
  }

  public long failures() {
    return failures.get();
  }

  private long nextArrival;

  private void tickQuietly() {
    try {
      tick(System.currentTimeMillis());
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      log.warn("simulator: tick failed: {}", e.toString());
    }
  }

  /** Adds arrivals that are due and sends the steps that are due. */
  void tick(long now) {
    if (!running) {
      return;
    }
    if (now >= nextArrival && users.get() < maxUsers) {
      Story story = Story.values()[random.nextInt(Story.values().length)];
      arrive(story, now);
      nextArrival = now + interval.toMillis();
    }
    List<Step> due = new ArrayList<>();
    synchronized (steps) {
      while (!steps.isEmpty() && steps.peek().atMillis() <= now) {
        due.add(steps.poll());
      }
    }
    for (Step s : due) {
      send(s);
    }
  }

  /** Schedules the story of a new user; returns the user id. */
  public String arrive(Story story, long now) {
    int n = users.incrementAndGet();
    String userId = String.format("user-%s-%04d", run, n);
    String first = FIRST[random.nextInt(FIRST.length)];
    String email = first.toLowerCase() + "." + n + "@example.test";
    Map<String, Object> traits = Map.of("email", email, "name", first, "timezone", ZONES[random.nextInt(ZONES.length)],
        "plan", "free");
    marketing.identify(userId, traits);
    boolean verified = story != Story.UNVERIFIED_SIGNUP;
    add(now, userId, "signup", Map.of("email", email, "email_verified", verified, "plan", "free"), null);
    long t = now + 1500;
    switch (story) {
      case POWER_USER:
        String session = userId + "-s1";
        for (int i = 0; i < 7; i++) {
          add(t + i * 400L, userId, "feature_usage", Map.of("feature_name", FEATURES[i % FEATURES.length]), session);
        }
        break;
      case PAYMENT_TROUBLE:
        add(t, userId, "upgrade", Map.of("plan", "pro", "mrr", 12), null);
        for (int retry = 1; retry <= 3; retry++) {
          add(t + retry * 2000L, userId, "payment_failed", Map.of("retry_count", retry, "amount", 12), null);
        }
        break;
      case DRIFTING_AWAY:
        for (int i = 0; i < 3; i++) {
          add(t + i * 1500L, userId, "session_duration", Map.of("seconds", 8 + random.nextInt(15)),
              userId + "-s" + i);
        }
        break;
      case CHURN_RISK:
        add(t, userId, "session_duration", Map.of("seconds", 240), userId + "-s1");
        add(t + 2000, userId, "churn_signal", Map.of("score", 0.9), null);
        break;
      default:
        add(t, userId, "feature_usage", Map.of("feature_name", "search"), userId + "-s1");
    }
    return userId;
  }

  private void add(long at, String userId, String type, Map<String, Object> payload, String sessionId) {
    synchronized (steps) {
      steps.add(new Step(at, seq.incrementAndGet(), userId, type, payload, sessionId));
    }
  }

  private void send(Step s) {
    String id = "sim-" + run + "-" + s.seq();
    boolean viaWebhook = signer != null && ingest != null && s.seq() % 2 == 0;
    if (!viaWebhook) {
      TrackResult r = marketing.track(MarketingEvent.builder(s.type(), s.userId()).id(id).sessionId(s.sessionId())
          .timestamp(Instant.ofEpochMilli(s.atMillis())).payload(s.payload()).build());
      count(r.isRejected() ? 400 : 202);
      return;
    }
    byte[] body;
    String contentType = "application/json";
    ObjectNode n = json.createObjectNode();
    switch ((int) (s.seq() / 2 % 3)) {
      case 0: // mkt JSON
        n.put("id", id).put("type", s.type()).put("userId", s.userId()).put("timestamp",
            Instant.ofEpochMilli(s.atMillis()).toString());
        if (s.sessionId() != null) {
          n.put("sessionId", s.sessionId());
        }
        n.set("payload", json.valueToTree(s.payload()));
        break;
      case 1: // Segment track
        n.put("type", "track").put("event", s.type()).put("userId", s.userId()).put("messageId", id)
            .put("timestamp", Instant.ofEpochMilli(s.atMillis()).toString());
        ObjectNode props = json.valueToTree(s.payload());
        if (s.sessionId() != null) {
          props.put("session_id", s.sessionId());
        }
        n.set("properties", props);
        break;
      default: // CloudEvents structured
        contentType = "application/cloudevents+json";
        n.put("specversion", "1.0").put("id", id).put("source", "/acme/notes").put("type", s.type())
            .put("subject", s.userId()).put("time", Instant.ofEpochMilli(s.atMillis()).toString())
            .put("datacontenttype", "application/json");
        if (s.sessionId() != null) {
          n.put("sessionid", s.sessionId());
        }
        n.set("data", json.valueToTree(s.payload()));
    }
    try {
      body = json.writeValueAsBytes(n);
      long ts = Instant.now().getEpochSecond();
      String webhookId = "msg_" + id;
      if (http == null) {
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      }
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(ingest).timeout(Duration.ofSeconds(5))
          .header("content-type", contentType).header("webhook-id", webhookId)
          .header("webhook-timestamp", Long.toString(ts)).header("webhook-signature", signer.sign(webhookId, ts, body))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
      viaHttp.incrementAndGet();
      count(r.statusCode());
      if (r.statusCode() >= 300) {
        log.warn("simulator: ingest answered {}: {}", r.statusCode(), r.body());
      }
    } catch (java.io.IOException e) {
      failures.incrementAndGet();
      log.warn("simulator: ingest unreachable: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void count(int status) {
    if (status < 300) {
      sent.incrementAndGet();
    } else {
      failures.incrementAndGet();
    }
  }

  @Override
  public void close() {
    running = false;
    timer.shutdownNow();
  }
}
