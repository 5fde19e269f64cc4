package dev.mkt.demo;

import dev.mkt.Marketing;
import dev.mkt.MarketingEvent;
import dev.mkt.MarketingStats;
import dev.mkt.TrackResult;
import java.net.URI;
import java.time.format.DateTimeFormatter;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The demo's pages: an overview (engine counters, simulator controls), the development inbox (every email the
 * rules sent), one email, and a tiny product API that shows how a backend calls mkt.
 */
@ConditionalOnBooleanProperty(name = "mkt.enabled", matchIfMissing = true)
@RestController
public class DemoPages {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private final Marketing marketing;
  private final DevInbox inbox;
  private final TrafficSimulator simulator;

  public DemoPages(Marketing marketing, DevInbox inbox, TrafficSimulator simulator) {
    this.marketing = marketing;
    this.inbox = inbox;
    this.simulator = simulator;
  }

  @GetMapping(value = "/", produces = MediaType.TEXT_HTML_VALUE)
  public String overview() {
    MarketingStats s = marketing.stats();
    StringBuilder b = new StringBuilder();
    b.append("<h1>Acme Notes <small>— an mkt demo</small></h1>");
    b.append("<p>A SaaS backend using the mkt Spring Boot starter on embedded defaults. The simulator makes users "
        + "sign up, use features, fail payments and drift away; the DRL rules decide; the emails land in the "
        + "<a href=\"/inbox\">development inbox</a>.</p>");
    b.append("<div class=\"cards\">");
    card(b, "events received", s.received());
    card(b, "appended to the log", s.appended());
    card(b, "duplicates", s.duplicates());
    card(b, "rejected", s.rejected());
    card(b, "processed by the reactor", s.processed());
    card(b, "reactor lag", s.lag());
    card(b, "actions decided", s.actionsDecided());
    card(b, "actions queued", s.actionsQueued());
    card(b, "dead letters", s.deadLettered());
    card(b, "emails in the inbox", inbox.count());
    b.append("</div>");
    b.append("<h2>Simulator</h2><p>").append(simulator.running() ? "running" : "stopped").append(": ")
        .append(simulator.users()).append(" users, ").append(simulator.eventsSent()).append(" events sent (")
        .append(simulator.eventsViaHttp()).append(" as signed webhooks), ").append(simulator.failures())
        .append(" failures.</p>");
    b.append("<form method=\"post\" action=\"/simulator/").append(simulator.running() ? "stop" : "start")
        .append("\"><button>").append(simulator.running() ? "Stop" : "Start").append(" the simulator</button></form>");
    b.append("<form method=\"post\" action=\"/simulator/users\">Add a user who is a <select name=\"story\">");
    for (TrafficSimulator.Story st : TrafficSimulator.Story.values()) {
      b.append("<option>").append(st.name()).append("</option>");
    }
    b.append("</select> <button>Add</button></form>");
    b.append("<h2>Look inside</h2><ul>"
        + "<li><a href=\"/inbox\">Development inbox</a></li>"
        + "<li><a href=\"/tasks\">CRM tasks</a> (the churn rule's retention reviews)</li>"
        + "<li><a href=\"/actuator/health\">/actuator/health</a> (the <code>marketing</code> component)</li>"
        + "<li><a href=\"/actuator/marketing\">/actuator/marketing</a> (rules, dead letters)</li>"
        + "<li><a href=\"/actuator/metrics/mkt.events\">/actuator/metrics/mkt.events</a></li></ul>");
    return page("Acme Notes — mkt demo", b.toString(), true);
  }

  private static void card(StringBuilder b, String label, long value) {
    b.append("<div class=\"card\"><b>").append(value).append("</b><span>").append(esc(label)).append("</span></div>");
  }

  @GetMapping(value = "/inbox", produces = MediaType.TEXT_HTML_VALUE)
  public String inbox() {
    List<DevInbox.Mail> mails = inbox.mails();
    StringBuilder b = new StringBuilder("<h1>Development inbox</h1><p><a href=\"/\">&larr; overview</a> · ")
        .append(mails.size()).append(" emails, newest first. They were sent over SMTP to the GreenMail server in "
            + "this JVM by mkt's email channel.</p>");
    b.append("<table><tr><th>time</th><th>to</th><th>subject</th></tr>");
    for (DevInbox.Mail m : mails.subList(0, Math.min(200, mails.size()))) {
      b.append("<tr><td>").append(m.sent() == null ? "" : TIME.format(m.sent().toInstant())).append("</td><td>")
          .append(esc(m.to())).append("</td><td><a href=\"/inbox/").append(m.index()).append("\">")
          .append(esc(m.subject() == null ? "(no subject)" : m.subject())).append("</a></td></tr>");
    }
    b.append("</table>");
    return page("Inbox", b.toString(), true);
  }

  @GetMapping(value = "/inbox/{index}", produces = MediaType.TEXT_HTML_VALUE)
  public ResponseEntity<String> mail(@PathVariable int index) {
    DevInbox.Mail m = inbox.mail(index);
    if (m == null) {
      return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.TEXT_HTML)
          .body(page("Not found", "<p>No such email. <a href=\"/inbox\">Inbox</a></p>", false));
    }
    StringBuilder b = new StringBuilder("<p><a href=\"/inbox\">&larr; inbox</a></p><h1>")
        .append(esc(m.subject() == null ? "(no subject)" : m.subject())).append("</h1><table>");
    row(b, "From", m.from());
    row(b, "To", m.to());
    row(b, "Message-ID", m.messageId());
    row(b, "List-Unsubscribe", m.listUnsubscribe());
    b.append("</table>");
    if (m.html() != null) {
      b.append("<h2>HTML</h2><iframe sandbox=\"\" style=\"width:100%;height:28rem;border:1px solid #ccc\" src=\"/inbox/")
          .append(m.index()).append("/html\"></iframe>");
    }
    if (m.text() != null) {
      b.append("<h2>Text</h2><pre>").append(esc(m.text())).append("</pre>");
    }
    return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).body(page(m.subject(), b.toString(), false));
  }

  /** The email's HTML part alone, sandboxed (no scripts, no same-origin access). */
  @GetMapping(value = "/inbox/{index}/html", produces = MediaType.TEXT_HTML_VALUE)
  public ResponseEntity<String> mailHtml(@PathVariable int index) {
    DevInbox.Mail m = inbox.mail(index);
    if (m == null || m.html() == null) {
      return ResponseEntity.notFound().build();
    }
    return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).header("Content-Security-Policy", "sandbox")
        .body(m.html());
  }

  private static void row(StringBuilder b, String k, String v) {
    b.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v == null ? "" : v)).append("</td></tr>");
  }

  @PostMapping("/simulator/start")
  public ResponseEntity<Void> start(@RequestParam(defaultValue = "") String unused,
      jakarta.servlet.http.HttpServletRequest request) {
    simulator.start(URI.create("http://127.0.0.1:" + request.getLocalPort() + "/mkt/events"));
    return back();
  }

  @PostMapping("/simulator/stop")
  public ResponseEntity<Void> stop() {
    simulator.stop();
    return back();
  }

  @PostMapping("/simulator/users")
  public ResponseEntity<Void> addUser(@RequestParam TrafficSimulator.Story story) {
    simulator.arrive(story, System.currentTimeMillis());
    return back();
  }

  private static ResponseEntity<Void> back() {
    return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create("/")).build();
  }

  /**
   * The product's own signup endpoint: this is how a backend tells mkt about a user. {@code identify} stores the
   * traits (email, name); {@code track} records what happened. Both return at once: no email is sent inline.
   */
  @PostMapping(value = "/api/signup", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<Map<String, Object>> signup(@RequestBody Map<String, Object> body) {
    String userId = String.valueOf(body.getOrDefault("userId", "user-" + System.nanoTime()));
    Object email = body.get("email");
    boolean verified = Boolean.TRUE.equals(body.get("emailVerified"));
    Map<String, Object> traits = new LinkedHashMap<>();
    traits.put("email", email);
    if (body.get("name") != null) {
      traits.put("name", body.get("name"));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    try {
      marketing.identify(userId, traits);
    } catch (dev.mkt.InvalidTraitException e) {
      out.put("error", e.getMessage());
      return ResponseEntity.badRequest().body(out);
    }
    TrackResult r = marketing.track(MarketingEvent.builder("signup", userId).put("email", email)
        .put("email_verified", verified).build());
    out.put("userId", userId);
    out.put("status", r.status().name());
    out.put("eventId", r.eventId());
    return ResponseEntity.status(r.isAccepted() ? HttpStatus.ACCEPTED : HttpStatus.OK).body(out);
  }

  static String page(String title, String body, boolean refresh) {
    return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + esc(title) + "</title>"
        + (refresh ? "<meta http-equiv=\"refresh\" content=\"3\">" : "")
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><style>"
        + "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}"
        + "small{color:#888;font-weight:normal}table{border-collapse:collapse;width:100%}"
        + "td,th{border-bottom:1px solid #eee;padding:.3rem .5rem;text-align:left;vertical-align:top;"
        + "overflow-wrap:anywhere}"
        + ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(10rem,1fr));gap:.6rem}"
        + ".card{border:1px solid #ddd;border-radius:.4rem;padding:.6rem}.card b{display:block;font-size:1.6rem}"
        + ".card span{color:#666;font-size:.85rem}form{margin:.5rem 0}pre{white-space:pre-wrap}</style></head><body>"
        + body
        + "</body></html>";
  }

  private static String esc(String s) {
    return HtmlUtils.htmlEscape(s == null ? "" : s, "UTF-8");
  }
}
