package dev.mkt.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.EventLogConfig;
import dev.mkt.Marketing;
import dev.mkt.MarketingEvent;
import dev.mkt.TrackResult;
import dev.mkt.spi.EventLog;
import dev.mkt.spi.LogBatch;
import dev.mkt.spi.LogRecord;
import dev.mkt.test.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM tracks events in a loop and is killed with {@code kill -9} at random moments, 20 times. After
 * each kill: every event whose durability future completed is in the log exactly once; a torn tail (injected
 * on every other round, as a crash mid-write leaves it) is truncated and reported; dedup still rejects every
 * key seen in the last window.
 */
class CrashRecoveryTest {
  private static final Pattern DURABLE = Pattern.compile("D (e-\\d+) \\.");
  private static final int ROUNDS = 20;

  @TempDir Path dir;

  @Test
  void killNineAtRandomMoments_loosesNothingDurable_duplicatesNothing() throws Exception {
    Random random = new Random(42);
    Set<String> durable = ConcurrentHashMap.newKeySet();
    int next = 0;
    long truncatedTotal = 0;
    int injected = 0;
    for (int round = 0; round < ROUNDS; round++) {
      Set<String> unexpected = ConcurrentHashMap.newKeySet();
      Process child = ChildJvm.start("warn", CrashAppender.class, dir.toString(), Integer.toString(next));
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("READY");
      Thread reader = new Thread(() -> {
        try {
          String line;
          while ((line = out.readLine()) != null) {
            Matcher m = DURABLE.matcher(line);
            if (m.matches()) {
              durable.add(m.group(1));
            } else if (line.startsWith("UNEXPECTED")) {
              unexpected.add(line);
            }
          }
        } catch (java.io.IOException ignored) {
          // the child died
        }
      });
      reader.start();
      Thread.sleep(100 + random.nextInt(600));
      ChildJvm.kill9(child);
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      reader.join(10_000);
      assertThat(unexpected).as("child saw a non-accepted result").isEmpty();

      // Every other round, leave a torn record behind, as a crash in the middle of a write would.
      int torn = 0;
      if (round % 2 == 1) {
        torn = 13 + random.nextInt(40);
        byte[] partial = new byte[torn];
        ByteBuffer.wrap(partial).putInt(0x6D6B7452).putInt(200);
        Files.write(lastSegment(), partial, StandardOpenOption.APPEND);
        injected++;
      }
      Map<String, Integer> inLog = new HashMap<>();
      try (EventLog log = EventLog.embedded(EventLogConfig.ofDefaults(dir.resolve("log")))) {
        assertThat(log.recovery().corruptions()).isEmpty();
        assertThat(log.recovery().truncatedBytes()).isGreaterThanOrEqualTo(torn);
        truncatedTotal += log.recovery().truncatedBytes();
        long offset = 0;
        while (offset < log.endOffset()) {
          LogBatch b = log.read(offset, 10_000);
          assertThat(b.corruptions()).isEmpty();
          for (LogRecord r : b.records()) {
            // The dedup key is the event id (default strategy); decode a sample to prove it.
            String id = r.key();
            if (r.offset() % 97 == 0) {
              assertThat(MarketingEvent.fromJson(r.data()).id()).isEqualTo(id);
            }
            inLog.merge(id, 1, Integer::sum);
          }
          offset = b.nextOffset();
        }
      }
      assertThat(inLog.values()).as("an event appears twice in the log").allMatch(n -> n == 1);
      List<String> missing = new ArrayList<>();
      for (String id : durable) {
        if (!inLog.containsKey(id)) {
          missing.add(id);
        }
      }
      assertThat(missing).as("round %d: durable events missing from the log", round).isEmpty();
      int roundStart = next;
      for (String id : inLog.keySet()) {
        next = Math.max(next, Integer.parseInt(id.substring(2)) + 1);
      }
      // Dedup still rejects every key of the last window after the restart.
      try (Marketing mkt = Marketing.builder().dataDirectory(dir).startReactor(false).build()) {
        // This round's events, and a sample of all earlier ones.
        List<MarketingEvent> again = new ArrayList<>();
        for (String id : inLog.keySet()) {
          int n = Integer.parseInt(id.substring(2));
          if (n >= roundStart || random.nextInt(20) == 0) {
            again.add(MarketingEvent.builder("feature_usage", "u").id(id).build());
          }
        }
        for (int i = 0; i < again.size(); i += 1000) {
          for (TrackResult r : mkt.trackAll(again.subList(i, Math.min(again.size(), i + 1000)))) {
            assertThat(r.isDuplicate()).as("after restart %d, %s", round, r).isTrue();
          }
        }
      }
    }
    assertThat(durable).hasSizeGreaterThan(ROUNDS * 100);
    assertThat(injected).isEqualTo(ROUNDS / 2);
    assertThat(truncatedTotal).isGreaterThanOrEqualTo(injected * 13L);
  }

  private Path lastSegment() throws Exception {
    try (var s = Files.list(dir.resolve("log").resolve("segments"))) {
      return s.filter(p -> p.toString().endsWith(".seg")).sorted().reduce((a, b) -> b).orElseThrow();
    }
  }
}
