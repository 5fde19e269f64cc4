package dev.mkt.internal.log;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mkt.EventLogConfig;
import dev.mkt.FsyncPolicy;
import dev.mkt.spi.EventLog;
import dev.mkt.spi.EventLogContract;
import dev.mkt.spi.EventLogException;
import dev.mkt.spi.LogBatch;
import dev.mkt.spi.LogCorruption;
import dev.mkt.spi.LogRecord;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SegmentedEventLogTest extends EventLogContract {

  @Override
  protected EventLog open(Path dir) {
    return EventLog.embedded(EventLogConfig.custom(dir).segmentBytes(16 * 1024).build());
  }

  private static SegmentedEventLog openSmall(Path dir) {
    return SegmentedEventLog.open(EventLogConfig.custom(dir).segmentBytes(8 * 1024).build());
  }

  private static void fill(EventLog log, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      log.append("key-" + i, 1_000 + i, ("payload-" + i + "-" + "x".repeat(40)).getBytes(UTF_8));
    }
    log.whenDurable(n - 1).get(10, TimeUnit.SECONDS);
  }

  private static Path lastSegment(Path dir) throws Exception {
    try (var s = Files.list(dir.resolve("segments"))) {
      return s.filter(p -> p.toString().endsWith(".seg")).sorted().reduce((a, b) -> b).orElseThrow();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"always", "group-commit", "never"})
  void everyFsyncPolicyPersists(String policy) throws Exception {
    EventLogConfig cfg = EventLogConfig.custom(dir).fsync(FsyncPolicy.parse(policy)).build();
    try (EventLog log = EventLog.embedded(cfg)) {
      fill(log, 300);
      if (policy.equals("always")) {
        assertThat(log.stats().fsyncs()).isGreaterThan(0);
      }
      if (policy.equals("never")) {
        assertThat(log.stats().fsyncs()).isZero();
      }
    }
    try (EventLog log = EventLog.embedded(cfg)) {
      assertThat(log.endOffset()).isEqualTo(300);
      assertThat(readAll(log, 0)).hasSize(300);
    }
  }

  @Test
  void segmentsRollAtTheConfiguredSize() throws Exception {
    try (SegmentedEventLog log = openSmall(dir)) {
      fill(log, 1_000);
      assertThat(log.segmentFiles()).hasSizeGreaterThan(5);
      for (Path p : log.segmentFiles()) {
        assertThat(Files.size(p)).isLessThanOrEqualTo(8 * 1024);
      }
      assertThat(readAll(log, 0)).hasSize(1_000);
    }
  }

  @Test
  void tornTailIsTruncatedAndReported() throws Exception {
    try (EventLog log = openSmall(dir)) {
      fill(log, 10);
    }
    Path seg = lastSegment(dir);
    long intact = Files.size(seg);
    // A crash in the middle of writing the next record: its first 25 bytes made it to disk.
    byte[] partial = new byte[25];
    java.nio.ByteBuffer.wrap(partial).putInt(RecordFormat.SYNC).putInt(60);
    Files.write(seg, partial, StandardOpenOption.APPEND);
    try (EventLog log = openSmall(dir)) {
      assertThat(log.recovery().truncatedBytes()).isEqualTo(25);
      assertThat(log.recovery().corruptions()).isEmpty();
      assertThat(Files.size(seg)).isEqualTo(intact);
      assertThat(log.endOffset()).isEqualTo(10);
      assertThat(log.append("after", 1, "x".getBytes(UTF_8))).isEqualTo(10);
      assertThat(readAll(log, 0)).hasSize(11);
    }
  }

  @Test
  void aFlippedByteInTheMiddleIsReportedWithItsPosition_andLaterRecordsAreKept() throws Exception {
    try (EventLog log = openSmall(dir)) {
      fill(log, 20);
    }
    Path seg = lastSegment(dir);
    long target = RecordFormat.SEGMENT_HEADER_BYTES + 3L * 100 + 50; // inside an early record
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.seek(target);
      int b = f.read();
      f.seek(target);
      f.write(b ^ 0x40);
    }
    try (EventLog log = openSmall(dir)) {
      List<LogCorruption> found = log.recovery().corruptions();
      assertThat(found).hasSize(1);
      LogCorruption c = found.get(0);
      assertThat(c.file()).isEqualTo(seg.getFileName().toString());
      assertThat(c.position()).isLessThanOrEqualTo(target);
      assertThat(c.position() + c.length()).isGreaterThan(target);
      assertThat(c.reason()).contains("crc mismatch");
      assertThat(log.recovery().truncatedBytes()).isZero();
      long lost = c.toOffset() - c.fromOffset();
      assertThat(lost).isEqualTo(1);

      // Reads skip the damaged record and say so; nothing after it is lost; the log keeps working.
      List<LogRecord> records = new java.util.ArrayList<>();
      List<LogCorruption> seen = new java.util.ArrayList<>();
      long next = 0;
      while (next < log.endOffset()) {
        LogBatch b = log.read(next, 100);
        records.addAll(b.records());
        seen.addAll(b.corruptions());
        next = b.nextOffset();
      }
      assertThat(seen).hasSize(1);
      assertThat(seen.get(0).position()).isEqualTo(c.position());
      assertThat(records).hasSize(19);
      assertThat(records).extracting(LogRecord::offset).doesNotContain(c.fromOffset());
      assertThat(log.append("more", 1, "y".getBytes(UTF_8))).isEqualTo(20);
    }
  }

  @Test
  void corruptionInAnOlderSegmentIsReportedWhenRead() throws Exception {
    Path first;
    try (SegmentedEventLog log = openSmall(dir)) {
      fill(log, 400);
      first = log.segmentFiles().get(0);
    }
    try (RandomAccessFile f = new RandomAccessFile(first.toFile(), "rw")) {
      f.seek(RecordFormat.SEGMENT_HEADER_BYTES + 200);
      f.write(0xFF);
      f.write(0xFF);
    }
    try (EventLog log = openSmall(dir)) {
      assertThat(log.recovery().corruptions()).isEmpty(); // only the tail segment is scanned at open
      LogBatch b = log.read(0, 1000);
      assertThat(b.corruptions()).isNotEmpty();
      assertThat(b.corruptions().get(0).file()).isEqualTo(first.getFileName().toString());
      long lost = b.corruptions().stream().mapToLong(c -> c.toOffset() - c.fromOffset()).sum();
      assertThat(b.records().size() + lost).isEqualTo(Math.min(1000, 400));
      assertThat(log.stats().corruptionsSeen()).isGreaterThan(0);
    }
  }

  @Test
  void garbageAfterTheLastRecordWithoutASyncWordIsATornTail() throws Exception {
    try (EventLog log = openSmall(dir)) {
      fill(log, 5);
    }
    Path seg = lastSegment(dir);
    Files.write(seg, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}, StandardOpenOption.APPEND);
    try (EventLog log = openSmall(dir)) {
      assertThat(log.recovery().truncatedBytes()).isEqualTo(13);
      assertThat(log.endOffset()).isEqualTo(5);
    }
  }

  @Test
  void aSegmentWithAnIncompleteHeaderAfterACrashIsRepaired() throws Exception {
    try (SegmentedEventLog log = openSmall(dir)) {
      fill(log, 200);
    }
    Path seg = lastSegment(dir);
    long base = Long.parseLong(seg.getFileName().toString().substring(0, 20));
    // The crash happened right after a roll created the next file, before its header was complete.
    Path next = seg.resolveSibling(String.format("%020d.seg", 200L));
    Files.write(next, new byte[] {0x4D, 0x4B});
    try (SegmentedEventLog log = openSmall(dir)) {
      assertThat(base).isLessThan(200);
      assertThat(log.endOffset()).isEqualTo(200);
      assertThat(log.append("x", 1, "y".getBytes(UTF_8))).isEqualTo(200);
      assertThat(readAll(log, 0)).hasSize(201);
    }
  }

  @Test
  void retentionByAgeDeletesOldClosedSegments() throws Exception {
    EventLogConfig cfg = EventLogConfig.custom(dir).segmentBytes(8 * 1024).retentionAge(Duration.ofDays(1)).build();
    try (SegmentedEventLog log = SegmentedEventLog.open(cfg)) {
      fill(log, 500);
      List<Path> files = log.segmentFiles();
      FileTime old = FileTime.from(Instant.now().minus(Duration.ofDays(2)));
      Files.setLastModifiedTime(files.get(0), old);
      Files.setLastModifiedTime(files.get(1), old);
      long secondBase = Long.parseLong(files.get(2).getFileName().toString().substring(0, 20));
      log.commit("reactor", 3);
      log.retainNow();
      assertThat(log.segmentFiles()).hasSize(files.size() - 2);
      assertThat(Files.exists(files.get(0))).isFalse();
      assertThat(log.startOffset()).isEqualTo(secondBase);
      assertThat(log.committed("reactor")).isEqualTo(secondBase);
      LogBatch b = log.read(0, 10);
      assertThat(b.records().get(0).offset()).isEqualTo(secondBase);
    }
  }

  @Test
  void retentionBySizeKeepsTheNewestSegments() throws Exception {
    EventLogConfig cfg = EventLogConfig.custom(dir).segmentBytes(8 * 1024).retentionBytes(20 * 1024).build();
    try (SegmentedEventLog log = SegmentedEventLog.open(cfg)) {
      fill(log, 800);
      log.retainNow();
      long total = 0;
      for (Path p : log.segmentFiles()) {
        total += Files.size(p);
      }
      assertThat(total).isLessThanOrEqualTo(20 * 1024);
      assertThat(log.endOffset()).isEqualTo(800);
      assertThat(log.startOffset()).isGreaterThan(0);
    }
  }

  @Test
  void aRecordLargerThanTheBufferIsATypedError() throws Exception {
    EventLogConfig cfg = EventLogConfig.custom(dir).bufferBytes(64 * 1024).build();
    try (EventLog log = EventLog.embedded(cfg)) {
      assertThatThrownBy(() -> log.append("big", 1, new byte[100 * 1024])).isInstanceOf(EventLogException.class)
          .hasMessageContaining("does not fit");
      assertThat(log.endOffset()).isZero();
      assertThat(log.append("small", 1, new byte[10])).isZero();
    }
  }

  @Test
  void offsetForTimeFindsTheSegmentOfAnAppendTime() throws Exception {
    try (SegmentedEventLog log = openSmall(dir)) {
      fill(log, 600);
      long off = log.offsetForTime(1_000 + 450);
      assertThat(off).isLessThanOrEqualTo(450);
      assertThat(off).isGreaterThan(0);
    }
  }
}
