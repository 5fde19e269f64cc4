package dev.mkt.internal.reactor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mkt.internal.EventCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log records the reactor could not process, with the reason: one JSON object per line in
 * {@code dead-letters/events.jsonl}, fsynced per entry (they are rare). Kept so they can be inspected and
 * replayed after a fix.
 */
public final class EventDeadLetters implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventDeadLetters.class);

  private final Path file;
  private final FileChannel channel;
  private final AtomicLong count = new AtomicLong();

  public EventDeadLetters(Path directory) {
    try {
      Files.createDirectories(directory);
      this.file = directory.resolve("events.jsonl");
      this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot open dead letters in " + directory, e);
    }
  }

  /** One dead letter. {@code record} is the raw log record, if there is one. */
  public synchronized void add(long offset, String eventId, String userId, String type, String reason,
      byte[] record, Instant at) {
    ObjectNode n = EventCodec.shared().mapper().createObjectNode();
    n.put("at", at.toString());
    n.put("offset", offset);
    n.put("eventId", eventId);
    n.put("userId", userId);
    n.put("type", type);
    n.put("reason", reason);
    if (record != null) {
      n.put("record", Base64.getEncoder().encodeToString(record));
    }
    try {
      byte[] line = (EventCodec.shared().mapper().writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8);
      ByteBuffer b = ByteBuffer.wrap(line);
      while (b.hasRemaining()) {
        channel.write(b);
      }
      channel.force(false);
      count.incrementAndGet();
    } catch (IOException e) {
      log.error("cannot write dead letter for offset {} ({}): {}", offset, reason, e.toString());
    }
  }

  public long count() {
    return count.get();
  }

  /** All entries, oldest first, as JSON objects. */
  public synchronized List<ObjectNode> list() {
    List<ObjectNode> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          out.add((ObjectNode) EventCodec.shared().mapper().readTree(line));
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing buffered: every add was forced
    }
  }
}
