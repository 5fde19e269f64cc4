package dev.mkt.internal.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.spi.StateStore;
import dev.mkt.spi.StateStoreContract;
import dev.mkt.spi.UserRecord;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class EmbeddedStateStoreTest extends StateStoreContract {

  @Override
  protected StateStore open(Path dir) {
    return StateStore.embedded(dir);
  }

  private Path journalSegment(int generation) throws Exception {
    try (Stream<Path> s = Files.list(dir.resolve("journal-" + generation).resolve("segments"))) {
      return s.filter(p -> p.toString().endsWith(".seg")).sorted().reduce((a, b) -> b).orElseThrow();
    }
  }

  @Test
  void aCheckpointCutShortByACrashLeavesThePreviousOneInForce() throws Exception {
    try (StateStore s = open(dir)) {
      s.checkpoint(List.of(user("ann", "a1@example.com", 1), user("bob", "b1@example.com", 1)), 10);
    }
    Path seg = journalSegment(0);
    long intact = Files.size(seg);
    try (StateStore s = open(dir)) {
      s.checkpoint(List.of(user("ann", "a2@example.com", 2), user("bob", "b2@example.com", 2)), 20);
    }
    // The crash came after ann's and bob's records but before the marker reached the disk.
    long withGroup = Files.size(seg);
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.setLength(withGroup - 41); // the marker record is 30 bytes of frame + 11 key + 21 data: cut inside it
    }
    assertThat(Files.size(seg)).isGreaterThan(intact);
    try (StateStore s = open(dir)) {
      assertThat(s.position()).isEqualTo(10);
      assertThat(s.load("ann")).contains(user("ann", "a1@example.com", 1));
      assertThat(s.load("bob")).contains(user("bob", "b1@example.com", 1));
      // The orphaned records stay ignored after the next checkpoint, too.
      s.checkpoint(List.of(user("cy", "c@example.com", 3)), 30);
    }
    try (StateStore s = open(dir)) {
      assertThat(s.position()).isEqualTo(30);
      assertThat(s.load("ann")).contains(user("ann", "a1@example.com", 1));
      assertThat(s.load("cy")).isPresent();
    }
  }

  @Test
  void aDamagedJournalIsMovedAside_andTheStoreStartsEmptySoTheLogIsReplayed() throws Exception {
    try (StateStore s = open(dir)) {
      s.checkpoint(List.of(user("ann", "a@example.com", 1)), 10);
      s.checkpoint(List.of(user("bob", "b@example.com", 1)), 20);
    }
    Path seg = journalSegment(0);
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.seek(40);
      f.write(f.read() ^ 0x10);
    }
    try (StateStore s = open(dir)) {
      assertThat(s.position()).isZero();
      assertThat(s.size()).isZero();
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".corrupt"));
    }
  }

  @Test
  void compactionKeepsOnlyTheLatestRecordOfEachUser() throws Exception {
    try (EmbeddedStateStore s = EmbeddedStateStore.open(dir, 64 * 1024)) {
      byte[] big = new byte[900];
      for (int round = 0; round < 80; round++) {
        List<UserRecord> changed = new ArrayList<>();
        for (int u = 0; u < 10; u++) {
          big[0] = (byte) round;
          changed.add(new UserRecord("u" + u, user("u" + u, "r" + round + "@example.com").contact(), big.clone()));
        }
        s.checkpoint(changed, round + 1);
      }
      assertThat(s.generation()).isGreaterThan(0);
      assertThat(s.load("u3").orElseThrow().contact().email()).contains("r79@example.com");
      assertThat(s.load("u3").orElseThrow().activity()[0]).isEqualTo((byte) 79);
    }
    assertThat(Files.readString(dir.resolve("CURRENT")).trim()).isNotEqualTo("0");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.filter(p -> p.getFileName().toString().startsWith("journal-"))).hasSize(1);
    }
    try (StateStore s = open(dir)) {
      assertThat(s.position()).isEqualTo(80);
      assertThat(s.size()).isEqualTo(10);
      assertThat(s.load("u9").orElseThrow().contact().email()).contains("r79@example.com");
    }
  }
}
