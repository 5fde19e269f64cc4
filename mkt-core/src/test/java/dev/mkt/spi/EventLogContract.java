package dev.mkt.spi;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link EventLog} passes. Extend it and implement {@link #open(Path)}: opening the same
 * location again must see the same log (persistence is part of the contract).
 */
public abstract class EventLogContract {
  @TempDir protected Path dir;
  private final List<EventLog> opened = new ArrayList<>();

  /** Opens (or reopens) the log stored at {@code dir}. */
  protected abstract EventLog open(Path dir) throws Exception;

  protected EventLog log() throws Exception {
    EventLog l = open(dir);
    opened.add(l);
    return l;
  }

  @AfterEach
  void closeAll() {
    for (EventLog l : opened) {
      l.close();
    }
  }

  protected static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  /** Reads everything readable from {@code from}. */
  protected static List<LogRecord> readAll(EventLog log, long from) throws Exception {
    long end = log.endOffset();
    if (end > 0) {
      log.whenDurable(end - 1).get(10, TimeUnit.SECONDS);
      assertThat(log.awaitReadable(end - 1, Duration.ofSeconds(10))).isTrue();
    }
    List<LogRecord> out = new ArrayList<>();
    long next = from;
    while (next < end) {
      LogBatch b = log.read(next, 1000);
      out.addAll(b.records());
      assertThat(b.nextOffset()).isGreaterThan(next);
      next = b.nextOffset();
    }
    return out;
  }

  @Test
  void offsetsAreDenseFromZero() throws Exception {
    EventLog log = log();
    assertThat(log.endOffset()).isZero();
    assertThat(log.append("a", 1, bytes("A"))).isEqualTo(0);
    assertThat(log.append("b", 2, bytes("B"))).isEqualTo(1);
    assertThat(log.appendAll(List.of("c", "d"), 3, List.of(bytes("C"), bytes("D")))).isEqualTo(2);
    assertThat(log.endOffset()).isEqualTo(4);
  }

  @Test
  void readReturnsRecordsInOrderWithKeyTimeAndBytes() throws Exception {
    EventLog log = log();
    for (int i = 0; i < 100; i++) {
      log.append("key-" + i, 1000 + i, bytes("value-" + i));
    }
    List<LogRecord> all = readAll(log, 0);
    assertThat(all).hasSize(100);
    for (int i = 0; i < 100; i++) {
      LogRecord r = all.get(i);
      assertThat(r.offset()).isEqualTo(i);
      assertThat(r.key()).isEqualTo("key-" + i);
      assertThat(r.appendTimeMillis()).isEqualTo(1000 + i);
      assertThat(new String(r.data(), UTF_8)).isEqualTo("value-" + i);
    }
  }

  @Test
  void readFromTheMiddleAndInSmallBatches() throws Exception {
    EventLog log = log();
    for (int i = 0; i < 50; i++) {
      log.append("k" + i, i, bytes("v" + i));
    }
    readAll(log, 0);
    LogBatch b = log.read(37, 5);
    assertThat(b.records()).extracting(LogRecord::offset).containsExactly(37L, 38L, 39L, 40L, 41L);
    assertThat(b.nextOffset()).isEqualTo(42);
  }

  @Test
  void readAtTheEndIsEmpty_andAfterTheEndIsAnError() throws Exception {
    EventLog log = log();
    log.append("a", 1, bytes("A"));
    readAll(log, 0);
    LogBatch b = log.read(1, 10);
    assertThat(b.records()).isEmpty();
    assertThat(b.nextOffset()).isEqualTo(1);
    assertThatThrownBy(() -> log.read(5, 10)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5");
  }

  @Test
  void emptyRecordsAndUnicodeKeysRoundTrip() throws Exception {
    EventLog log = log();
    log.append("ключ-🔑", 7, new byte[0]);
    LogRecord r = readAll(log, 0).get(0);
    assertThat(r.key()).isEqualTo("ключ-🔑");
    assertThat(r.data()).isEmpty();
  }

  @Test
  void whenDurableCompletes() throws Exception {
    EventLog log = log();
    long off = log.append("a", 1, bytes("A"));
    log.whenDurable(off).get(10, TimeUnit.SECONDS);
    assertThat(log.readableOffset()).isGreaterThan(off);
  }

  @Test
  void awaitReadableTimesOutWhenNothingComes() throws Exception {
    EventLog log = log();
    assertThat(log.awaitReadable(0, Duration.ofMillis(50))).isFalse();
    log.append("a", 1, bytes("A"));
    assertThat(log.awaitReadable(0, Duration.ofSeconds(10))).isTrue();
  }

  @Test
  void recordsAndCommitsSurviveReopen() throws Exception {
    EventLog first = open(dir);
    for (int i = 0; i < 20; i++) {
      first.append("k" + i, i, bytes("v" + i));
    }
    first.whenDurable(19).get(10, TimeUnit.SECONDS);
    assertThat(first.committed("reactor")).isZero();
    first.commit("reactor", 12);
    first.close();
    EventLog second = log();
    assertThat(second.endOffset()).isEqualTo(20);
    assertThat(second.committed("reactor")).isEqualTo(12);
    assertThat(second.committed("other")).isZero();
    assertThat(readAll(second, 12)).extracting(LogRecord::key).startsWith("k12", "k13");
    assertThat(second.append("next", 99, bytes("x"))).isEqualTo(20);
  }

  @Test
  void commitRejectsAnOffsetBeyondTheEnd_andBadGroupNames() throws Exception {
    EventLog log = log();
    log.append("a", 1, bytes("A"));
    assertThatThrownBy(() -> log.commit("g", 5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> log.commit("../etc", 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("../etc");
  }

  @Test
  void appendAfterCloseIsATypedError() throws Exception {
    EventLog log = open(dir);
    log.close();
    assertThatThrownBy(() -> log.append("a", 1, bytes("A"))).isInstanceOf(EventLogException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void concurrentProducers_nothingLostNothingDuplicated() throws Exception {
    EventLog log = log();
    int threads = 8;
    int perThread = 5_000;
    ConcurrentLinkedQueue<Long> offsets = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    for (int t = 0; t < threads; t++) {
      int thread = t;
      pool.submit(() -> {
        start.await();
        for (int i = 0; i < perThread; i++) {
          if (i % 10 == 0) {
            long first = log.appendAll(List.of(thread + "-" + i + "a", thread + "-" + i + "b"), i,
                List.of(bytes(thread + ":" + i + "a"), bytes(thread + ":" + i + "b")));
            offsets.add(first);
            offsets.add(first + 1);
          } else {
            offsets.add(log.append(thread + "-" + i, i, bytes(thread + ":" + i)));
          }
        }
        return null;
      });
    }
    start.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    int expected = threads * (perThread + perThread / 10);
    assertThat(new HashSet<>(offsets)).hasSize(expected);
    assertThat(log.endOffset()).isEqualTo(expected);
    List<LogRecord> all = readAll(log, 0);
    assertThat(all).hasSize(expected);
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < all.size(); i++) {
      assertThat(all.get(i).offset()).isEqualTo(i);
      keys.add(all.get(i).key());
    }
    assertThat(keys).hasSize(expected);
  }
}
