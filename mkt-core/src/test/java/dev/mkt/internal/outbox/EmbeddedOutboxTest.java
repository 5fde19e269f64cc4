package dev.mkt.internal.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mkt.MarketingException;
import dev.mkt.OutboxEntry;
import dev.mkt.OutboxState;
import dev.mkt.test.MutableClock;
import dev.mkt.spi.Outbox;
import dev.mkt.spi.OutboxContract;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedOutboxTest extends OutboxContract {
  @TempDir Path dir;

  @Override
  protected Outbox open(MutableClock clock) {
    return EmbeddedOutbox.open(dir, clock, Duration.ofDays(30));
  }

  @Override
  protected Outbox reopen(MutableClock clock) {
    outbox.close();
    return open(clock);
  }

  private Path journal() {
    return dir.resolve(OutboxJournal.FILE);
  }

  @Test
  void anInterruptedSend_isClaimableAtOnceAfterRestart() {
    outbox.putAll(List.of(action("a1")));
    outbox.claimDue(clock.instant(), 1, LEASE);
    outbox = reopen(clock);
    assertThat(outbox.get("a1").orElseThrow().state()).isEqualTo(OutboxState.PENDING);
    List<OutboxEntry> again = outbox.claimDue(clock.instant(), 1, LEASE);
    assertThat(again).extracting(OutboxEntry::key).containsExactly("a1");
    assertThat(again.get(0).attempts()).isZero();
  }

  @Test
  void aTornTail_isTruncated_andEverythingBeforeItKept() throws IOException {
    outbox.putAll(List.of(action("a1"), action("a2")));
    outbox.close();
    long size = Files.size(journal());
    try (RandomAccessFile f = new RandomAccessFile(journal().toFile(), "rw")) {
      f.setLength(size - 7); // a crash in the middle of writing the last record
    }
    outbox = open(clock);
    assertThat(outbox.get("a1")).isPresent();
    assertThat(outbox.get("a2")).isEmpty();
    assertThat(outbox.putAll(List.of(action("a2")))).isEqualTo(1);
    outbox = reopen(clock);
    assertThat(outbox.get("a2")).isPresent();
  }

  @Test
  void aCorruptedRecordInTheMiddle_isSkipped_andTheRecordsAfterItKept() throws IOException {
    outbox.putAll(List.of(action("a1")));
    outbox.putAll(List.of(action("a2")));
    outbox.putAll(List.of(action("a3")));
    outbox.close();
    byte[] bytes = Files.readAllBytes(journal());
    // Flip a byte inside the second record's body.
    int second = indexOfSync(bytes, OutboxJournal.HEADER_BYTES + 1);
    bytes[second + OutboxJournal.FRAME_HEADER + 20] ^= 0x5A;
    Files.write(journal(), bytes);
    outbox = open(clock);
    assertThat(outbox.get("a1")).isPresent();
    assertThat(outbox.get("a2")).isEmpty();
    assertThat(outbox.get("a3")).isPresent();
  }

  private static int indexOfSync(byte[] b, int from) {
    for (int i = from; i + 4 <= b.length; i++) {
      int v = ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
      if (v == OutboxJournal.SYNC) {
        return i;
      }
    }
    throw new AssertionError("no sync word");
  }

  @Test
  void aSecondEngineOnTheSameDirectory_isRefusedWithAClearError() {
    assertThatThrownBy(() -> EmbeddedOutbox.open(dir, clock, Duration.ofDays(30)))
        .isInstanceOf(MarketingException.class)
        .hasMessageContaining("in use by another engine");
  }

  @Test
  void compaction_keepsLiveEntries_andDropsFinishedOnesPastRetention() {
    outbox.putAll(List.of(action("old"), action("live", clock.instant().plus(Duration.ofDays(60)))));
    OutboxEntry e = outbox.claimDue(clock.instant(), 1, LEASE).get(0);
    outbox.update(e.toSent(clock.instant(), "p", null), OutboxState.SENDING);
    clock.advance(Duration.ofDays(31));
    ((EmbeddedOutbox) outbox).compactNow();
    assertThat(outbox.get("old")).isEmpty();
    assertThat(outbox.get("live")).isPresent();
    assertThat(((EmbeddedOutbox) outbox).journalRecords()).isEqualTo(1);
    outbox = reopen(clock);
    assertThat(outbox.get("live").orElseThrow().state()).isEqualTo(OutboxState.PENDING);
    assertThat(outbox.counts().get(OutboxState.SENT)).isZero();
  }

  @Test
  void theJournal_compactsItselfAsItGrows() {
    List<dev.mkt.Action> as = new ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      as.add(action("g" + i));
    }
    outbox.putAll(as);
    for (int round = 0; round < 3; round++) {
      for (OutboxEntry e : outbox.claimDue(clock.instant(), 10_000, LEASE)) {
        outbox.update(e.toDeferred(clock.instant(), clock.instant(), "rate_limited"), OutboxState.SENDING);
      }
    }
    // 4000 puts + 3 x (4000 claims + 4000 deferrals) = 28000 records for 4000 entries: compacted on the way.
    assertThat(((EmbeddedOutbox) outbox).journalRecords()).isLessThan(20_000);
    outbox = reopen(clock);
    assertThat(outbox.counts().get(OutboxState.PENDING)).isEqualTo(4000);
  }

  @Test
  void flushes_fromManyThreads_whileOthersWriteAndTheJournalIsCompacted_loseNothing() throws Exception {
    EmbeddedOutbox ob = (EmbeddedOutbox) outbox;
    int writers = 4;
    int perWriter = 500;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers + 2);
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int id = w;
      fs.add(pool.submit(() -> {
        for (int i = 0; i < perWriter; i++) {
          outbox.putAll(List.of(action("w" + id + "-" + i)));
          if (i % 50 == 0) {
            outbox.flush();
          }
        }
      }));
    }
    // A flusher and a compactor race the writers: a force may find its channel replaced by a rewrite.
    java.util.concurrent.Future<?> flusher = pool.submit(() -> {
      while (!done.get()) {
        outbox.flush();
      }
    });
    java.util.concurrent.Future<?> compactor = pool.submit(() -> {
      while (!done.get()) {
        ob.compactNow();
        java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
      }
    });
    for (java.util.concurrent.Future<?> f : fs) {
      f.get();
    }
    done.set(true);
    flusher.get();
    compactor.get();
    pool.shutdown();
    outbox.flush();
    outbox = reopen(clock);
    assertThat(outbox.counts().get(OutboxState.PENDING)).isEqualTo((long) writers * perWriter);
  }

  @Test
  void flush_afterClose_isANoOp() {
    outbox.putAll(List.of(action("c1")));
    outbox.close();
    outbox.flush();
    outbox = open(clock);
    assertThat(outbox.get("c1")).isPresent();
  }
}
