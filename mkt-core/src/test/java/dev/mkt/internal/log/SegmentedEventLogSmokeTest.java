package dev.mkt.internal.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.EventLogConfig;
import dev.mkt.FsyncPolicy;
import dev.mkt.spi.EventLog;
import dev.mkt.spi.LogBatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentedEventLogSmokeTest {
  @TempDir Path dir;

  @Test
  void appendsReadsAndReopens() throws Exception {
    EventLogConfig cfg = EventLogConfig.custom(dir).segmentBytes(64 * 1024).fsync(FsyncPolicy.groupCommit()).build();
    try (EventLog log = EventLog.embedded(cfg)) {
      for (int i = 0; i < 10_000; i++) {
        assertThat(log.append("k" + i, 1000 + i, ("record-" + i).getBytes(StandardCharsets.UTF_8))).isEqualTo(i);
      }
      log.whenDurable(9_999).get();
      assertThat(log.awaitReadable(9_999, Duration.ofSeconds(5))).isTrue();
      long next = 0;
      int n = 0;
      while (next < 10_000) {
        LogBatch b = log.read(next, 777);
        for (var r : b.records()) {
          assertThat(r.offset()).isEqualTo(n);
          assertThat(new String(r.data(), StandardCharsets.UTF_8)).isEqualTo("record-" + n);
          n++;
        }
        assertThat(b.corruptions()).isEmpty();
        next = b.nextOffset();
      }
      assertThat(n).isEqualTo(10_000);
      assertThat(log.stats().segments()).isGreaterThan(1);
    }
    try (EventLog log = EventLog.embedded(cfg)) {
      assertThat(log.endOffset()).isEqualTo(10_000);
      assertThat(log.recovery().truncatedBytes()).isZero();
      LogBatch b = log.read(5_000, 3);
      assertThat(b.records()).extracting(r -> r.key()).containsExactly("k5000", "k5001", "k5002");
      assertThat(log.append("x", 1, new byte[] {1})).isEqualTo(10_000);
    }
  }
}
