package dev.mkt.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mkt.StandardWebhooks;
import dev.mkt.WebhookSignatureException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * A stand-in for the founder's CRM: mkt's {@code crm.webhook} channel posts the churn rule's retention tasks
 * here, signed per Standard Webhooks; this endpoint verifies the signature and keeps the tasks for
 * {@code /tasks}.
 */
@RestController
@ConditionalOnBooleanProperty(name = "mkt.enabled", matchIfMissing = true)
public class DemoCrm {
  private final StandardWebhooks verifier;
  private final List<String[]> tasks = Collections.synchronizedList(new ArrayList<>());
  private final ObjectMapper json = new ObjectMapper();

  public DemoCrm(@Value("${mkt.channels.properties.crm.webhook.secret}") String secret) {
    this.verifier = StandardWebhooks.of(List.of(secret), Duration.ofMinutes(5), Clock.systemUTC());
  }

  @PostMapping("/demo/crm/tasks")
  public ResponseEntity<Void> receive(HttpServletRequest request) throws IOException {
    byte[] body = request.getInputStream().readNBytes(64 * 1024);
    try {
      verifier.verify(request.getHeader("webhook-id"), request.getHeader("webhook-timestamp"),
          request.getHeader("webhook-signature"), body);
    } catch (WebhookSignatureException e) {
      return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
    }
    JsonNode n = json.readTree(body);
    tasks.add(new String[] {Instant.now().toString(), n.toString()});
    return ResponseEntity.noContent().build();
  }

  @GetMapping(value = "/tasks", produces = MediaType.TEXT_HTML_VALUE)
  public String page() {
    StringBuilder b = new StringBuilder("<h1>CRM tasks</h1><p><a href=\"/\">&larr; overview</a> · ")
        .append(tasks.size()).append(" tasks received from mkt's crm.webhook channel (Standard Webhooks "
            + "signature verified).</p><table><tr><th>received</th><th>task</th></tr>");
    synchronized (tasks) {
      for (int i = tasks.size() - 1; i >= 0 && i >= tasks.size() - 200; i--) {
        b.append("<tr><td>").append(tasks.get(i)[0], 11, 19).append("</td><td><code>")
            .append(HtmlUtils.htmlEscape(tasks.get(i)[1])).append("</code></td></tr>");
      }
    }
    return DemoPages.page("CRM tasks", b.append("</table>").toString(), true);
  }

  int count() {
    return tasks.size();
  }
}
