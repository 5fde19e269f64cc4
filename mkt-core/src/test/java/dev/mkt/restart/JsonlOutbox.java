package dev.mkt.restart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mkt.Action;
import dev.mkt.spi.Outbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A test fixture that records decisions durably: one JSON line per new idempotency key, fsynced on flush.
 * A re-decided action (same key) that differs from the recorded one is written to {@code mismatches.jsonl}.
 */
public final class JsonlOutbox implements Outbox {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final FileChannel out;
  private final Path mismatches;
  private final Map<String, String> recorded = new LinkedHashMap<>();

  public JsonlOutbox(Path file) {
    this.mismatches = file.resolveSibling("mismatches.jsonl");
    try {
      recorded.putAll(read(file));
      out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Key → JSON of every complete line in {@code file}; a torn last line (a kill mid-write) is ignored. */
  public static Map<String, String> read(Path file) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return m;
    }
    String all = Files.readString(file);
    int end = all.lastIndexOf('\n');
    if (end < 0) {
      return m;
    }
    for (String line : all.substring(0, end).split("\n")) {
      String key = MAPPER.readTree(line).get("key").asText();
      m.putIfAbsent(key, line);
    }
    return m;
  }

  static String json(Action a) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("key", a.idempotencyKey());
    n.put("rule", a.rule());
    n.put("userId", a.userId());
    n.put("eventId", a.eventId());
    n.put("type", a.type().wireName());
    n.put("template", a.template());
    n.put("priority", a.priority().name());
    n.put("notBefore", a.notBefore().toString());
    n.set("vars", MAPPER.valueToTree(a.vars()));
    return n.toString();
  }

  @Override
  public synchronized int putAll(Collection<Action> actions) {
    int added = 0;
    StringBuilder lines = new StringBuilder();
    for (Action a : actions) {
      String j = json(a);
      String prev = recorded.putIfAbsent(a.idempotencyKey(), j);
      if (prev == null) {
        lines.append(j).append('\n');
        added++;
      } else if (!prev.equals(j)) {
        try {
          Files.writeString(mismatches, prev + "\n" + j + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    try {
      ByteBuffer b = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
      while (b.hasRemaining()) {
        out.write(b);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return added;
  }

  @Override
  public synchronized void flush() {
    try {
      out.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException ignored) {
      // forced on every flush
    }
  }
}
