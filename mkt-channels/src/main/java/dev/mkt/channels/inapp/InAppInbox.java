package dev.mkt.channels.inapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mkt.Action;
import dev.mkt.Contact;
import dev.mkt.channels.TemplateFailure;
import dev.mkt.channels.TemplateSet;
import dev.mkt.spi.Channel;
import dev.mkt.spi.Delivery;
import dev.mkt.spi.DeliveryResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-app channel: a durable inbox per user that the host application polls and renders, e.g. the seed's
 * "request a review" prompt. Delivering an action renders {@code in_app/<template>/title.peb} and
 * {@code body.peb} and stores the message; {@code sent} means it is on disk (fsynced). Delivering the same action
 * again stores nothing new.
 *
 * <pre>{@code
 * InAppInbox inbox = mkt.dispatch().channel("in_app", InAppInbox.class).orElseThrow();
 * for (InAppMessage m : inbox.messages(userId, true)) { show(m.title(), m.body()); inbox.markRead(userId, m.id()); }
 * }</pre>
 *
 * <p>Storage: {@code inbox.log} in the provider's data directory, one line per change ({@code <crc32c> <json>}),
 * replayed on start; a torn last line is dropped. Each user keeps the newest {@code max-per-user} messages for
 * {@code retention}; the file is rewritten without the rest when it has grown to several times the live data.
 * Thread-safe.
 */
public final class InAppInbox implements Channel {
  private static final Logger log = LoggerFactory.getLogger(InAppInbox.class);
  static final String FILE = "inbox.log";
  static final List<String> PARTS = List.of("title", "body");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final TemplateSet templates;
  private final Map<String, Object> globals;
  private final Clock clock;
  private final Duration retention;
  private final int maxPerUser;
  private final Map<String, LinkedHashMap<String, InAppMessage>> byUser = new HashMap<>();
  private FileChannel out;
  private long lines;
  private long live;

  InAppInbox(Path directory, TemplateSet templates, Map<String, Object> globals, Clock clock, Duration retention,
      int maxPerUser) {
    this.file = directory.resolve(FILE);
    this.templates = templates;
    this.globals = globals;
    this.clock = clock;
    this.retention = retention;
    this.maxPerUser = maxPerUser;
    try {
      replay();
      if (lines > 2 * live + 1000) {
        rewrite();
      }
      out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the in-app inbox " + file, e);
    }
  }

  // ------------------------------------------------------------------ the host application's side

  /** The user's messages, newest first; only unread ones if {@code unreadOnly}. */
  public synchronized List<InAppMessage> messages(String userId, boolean unreadOnly) {
    List<InAppMessage> out = new ArrayList<>();
    Map<String, InAppMessage> m = byUser.get(userId);
    if (m != null) {
      for (InAppMessage x : m.values()) {
        if (!unreadOnly || x.unread()) {
          out.add(0, x);
        }
      }
    }
    return out;
  }

  public synchronized int unreadCount(String userId) {
    Map<String, InAppMessage> m = byUser.get(userId);
    return m == null ? 0 : (int) m.values().stream().filter(InAppMessage::unread).count();
  }

  /** Marks a message read (durably). False if the user has no such unread message. */
  public synchronized boolean markRead(String userId, String messageId) {
    Map<String, InAppMessage> m = byUser.get(userId);
    InAppMessage x = m == null ? null : m.get(messageId);
    if (x == null || !x.unread()) {
      return false;
    }
    Instant now = clock.instant();
    ObjectNode n = JSON.createObjectNode().put("op", "read").put("userId", userId).put("id", messageId)
        .put("at", now.toString());
    append(n);
    m.put(messageId, new InAppMessage(x.id(), x.userId(), x.template(), x.title(), x.body(), x.vars(),
        x.createdAt(), now));
    return true;
  }

  // ------------------------------------------------------------------ Channel

  @Override
  public DeliveryResult deliver(Delivery d) {
    Action a = d.action();
    Map<String, Object> ctx = new HashMap<>(globals);
    Contact c = d.contact();
    String name = c.name().map(String::strip).orElse("");
    ctx.put("contact", Map.of("userId", c.userId(), "name", name,
        "first_name", name.isEmpty() ? "" : name.split("\\s+")[0], "plan", c.plan().orElse("")));
    ctx.putAll(a.vars());
    String title;
    String body;
    try {
      title = templates.render(a.template(), "title", false, c.locale(), ctx);
      body = templates.render(a.template(), "body", false, c.locale(), ctx);
    } catch (TemplateFailure e) {
      return DeliveryResult.failed(e.getMessage());
    }
    if (title == null || body == null) {
      return DeliveryResult.failed("template_missing: in_app template '" + a.template() + "' needs title.peb and"
          + " body.peb in " + templates.locations());
    }
    InAppMessage m = new InAppMessage(a.idempotencyKey(), a.userId(), a.template(), title.strip(), body.strip(),
        Map.copyOf(a.vars()), clock.instant(), null);
    synchronized (this) {
      LinkedHashMap<String, InAppMessage> box = byUser.computeIfAbsent(a.userId(), u -> new LinkedHashMap<>());
      if (!box.containsKey(m.id())) {
        ObjectNode n = JSON.createObjectNode().put("op", "add").put("id", m.id()).put("userId", m.userId())
            .put("template", m.template()).put("title", m.title()).put("body", m.body())
            .put("createdAt", m.createdAt().toString());
        n.set("vars", JSON.valueToTree(m.vars()));
        try {
          append(n);
        } catch (UncheckedIOException e) {
          return DeliveryResult.retryLater("inbox_write_failed: " + e.getCause());
        }
        box.put(m.id(), m);
        live++;
        trim(box);
      }
    }
    return DeliveryResult.sent(m.id());
  }

  @Override
  public List<String> checkTemplates(Set<String> names) {
    return templates.check(names, List.of("title", "body"), List.of());
  }

  @Override
  public synchronized void close() {
    try {
      if (out != null) {
        out.close();
      }
    } catch (IOException e) {
      log.warn("closing the in-app inbox failed: {}", e.toString());
    }
  }

  // ------------------------------------------------------------------ storage

  private void trim(LinkedHashMap<String, InAppMessage> box) {
    Instant horizon = clock.instant().minus(retention);
    var it = box.values().iterator();
    while (it.hasNext()) {
      InAppMessage x = it.next();
      if (box.size() > maxPerUser || x.createdAt().isBefore(horizon)) {
        it.remove();
        live--;
      } else {
        break;
      }
    }
  }

  private void append(ObjectNode n) {
    try {
      byte[] json = JSON.writeValueAsBytes(n);
      CRC32C crc = new CRC32C();
      crc.update(json);
      byte[] line = (String.format("%08x ", crc.getValue()) + new String(json, StandardCharsets.UTF_8) + "\n")
          .getBytes(StandardCharsets.UTF_8);
      ByteBuffer b = ByteBuffer.wrap(line);
      while (b.hasRemaining()) {
        out.write(b);
      }
      out.force(false);
      lines++;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void replay() throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    long dropped = 0;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        lines++;
        JsonNode n = parse(line);
        if (n == null) {
          dropped++;
          continue;
        }
        String user = n.path("userId").asText();
        if (n.path("op").asText().equals("add")) {
          @SuppressWarnings("unchecked")
          Map<String, Object> vars = n.has("vars") ? JSON.convertValue(n.get("vars"), Map.class) : Map.of();
          InAppMessage m = new InAppMessage(n.path("id").asText(), user, n.path("template").asText(),
              n.path("title").asText(), n.path("body").asText(), vars, Instant.parse(n.path("createdAt").asText()),
              null);
          LinkedHashMap<String, InAppMessage> box = byUser.computeIfAbsent(user, u -> new LinkedHashMap<>());
          if (box.putIfAbsent(m.id(), m) == null) {
            live++;
            trim(box);
          }
        } else if (n.path("op").asText().equals("read")) {
          Map<String, InAppMessage> box = byUser.get(user);
          InAppMessage x = box == null ? null : box.get(n.path("id").asText());
          if (x != null) {
            box.put(x.id(), new InAppMessage(x.id(), x.userId(), x.template(), x.title(), x.body(), x.vars(),
                x.createdAt(), Instant.parse(n.path("at").asText())));
          }
        }
      }
    }
    if (dropped > 0) {
      log.warn("in-app inbox: dropped {} damaged line(s) of {} (a torn write?)", dropped, file);
      rewrite();
    }
  }

  private static JsonNode parse(String line) {
    int sp = line.indexOf(' ');
    if (sp != 8) {
      return null;
    }
    byte[] json = line.substring(9).getBytes(StandardCharsets.UTF_8);
    CRC32C crc = new CRC32C();
    crc.update(json);
    if (!String.format("%08x", crc.getValue()).equals(line.substring(0, 8))) {
      return null;
    }
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      return null;
    }
  }

  /** Writes the live messages to a new file and swaps it in atomically. */
  private void rewrite() throws IOException {
    Path tmp = file.resolveSibling(FILE + ".tmp");
    List<ObjectNode> nodes = new ArrayList<>();
    for (Map<String, InAppMessage> box : byUser.values()) {
      for (InAppMessage m : box.values()) {
        ObjectNode n = JSON.createObjectNode().put("op", "add").put("id", m.id()).put("userId", m.userId())
            .put("template", m.template()).put("title", m.title()).put("body", m.body())
            .put("createdAt", m.createdAt().toString());
        n.set("vars", JSON.valueToTree(m.vars()));
        nodes.add(n);
        if (!m.unread()) {
          nodes.add(JSON.createObjectNode().put("op", "read").put("userId", m.userId()).put("id", m.id())
              .put("at", m.readAt().toString()));
        }
      }
    }
    FileChannel prev = out;
    try (FileChannel w = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      out = w;
      lines = 0;
      for (ObjectNode n : nodes) {
        append(n);
      }
    } finally {
      out = prev;
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
