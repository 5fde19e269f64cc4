package dev.mkt.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mkt.ConsentRecord;
import dev.mkt.Contact;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link StateStore} passes. Extend it and implement {@link #open(Path)}: opening the same
 * location again must see the same state.
 */
public abstract class StateStoreContract {
  @TempDir protected Path dir;
  private final List<StateStore> opened = new ArrayList<>();

  protected abstract StateStore open(Path dir) throws Exception;

  protected StateStore store() throws Exception {
    StateStore s = open(dir);
    opened.add(s);
    return s;
  }

  @AfterEach
  void closeAll() {
    opened.forEach(StateStore::close);
  }

  protected static UserRecord user(String id, String email, int... activity) {
    byte[] bytes = new byte[activity.length];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) activity[i];
    }
    Contact c = new Contact(id, Map.of("email", email, "plan", "pro"),
        new ConsentRecord(Instant.parse("2026-11-28T10:00:00Z"), "api"),
        Map.of("email", new ConsentRecord(Instant.parse("2026-11-28T11:00:00Z"), "one-click")),
        Map.of("marketing", new ConsentRecord(Instant.parse("2026-11-01T00:00:00Z"), "signup-form")));
    return new UserRecord(id, c, bytes);
  }

  @Test
  void aNewStoreIsEmptyAtPositionZero() throws Exception {
    StateStore s = store();
    assertThat(s.position()).isZero();
    assertThat(s.size()).isZero();
    assertThat(s.load("nobody")).isEmpty();
  }

  @Test
  void checkpointStoresRecordsAndPosition() throws Exception {
    StateStore s = store();
    s.checkpoint(List.of(user("ann", "ann@example.com", 1, 2, 3), user("bob", "bob@example.com")), 42);
    assertThat(s.position()).isEqualTo(42);
    assertThat(s.size()).isEqualTo(2);
    assertThat(s.load("ann")).contains(user("ann", "ann@example.com", 1, 2, 3));
    assertThat(s.load("bob").orElseThrow().contact().email()).contains("bob@example.com");
  }

  @Test
  void laterCheckpointsReplaceARecord() throws Exception {
    StateStore s = store();
    s.checkpoint(List.of(user("ann", "old@example.com", 1)), 10);
    s.checkpoint(List.of(user("ann", "new@example.com", 2)), 20);
    s.checkpoint(List.of(), 30);
    assertThat(s.load("ann")).contains(user("ann", "new@example.com", 2));
    assertThat(s.size()).isEqualTo(1);
    assertThat(s.position()).isEqualTo(30);
  }

  @Test
  void everythingSurvivesReopen() throws Exception {
    StateStore first = open(dir);
    for (int i = 0; i < 200; i++) {
      first.checkpoint(List.of(user("u" + (i % 50), "u" + i + "@example.com", i)), i + 1);
    }
    first.close();
    StateStore second = store();
    assertThat(second.position()).isEqualTo(200);
    assertThat(second.size()).isEqualTo(50);
    assertThat(second.load("u7")).contains(user("u7", "u157@example.com", 157));
  }

  @Test
  void thePositionNeverGoesBack() throws Exception {
    StateStore s = store();
    s.checkpoint(List.of(), 10);
    assertThatThrownBy(() -> s.checkpoint(List.of(), 9)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("9");
  }

  @Test
  void loadsFromOtherThreadsSeeWholeRecordsWhileCheckpointsRun() throws Exception {
    StateStore s = store();
    s.checkpoint(List.of(user("ann", "v0@example.com", 0)), 1);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<?>> readers = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      readers.add(pool.submit(() -> {
        for (int i = 0; i < 1_000; i++) {
          UserRecord r = s.load("ann").orElseThrow();
          String email = r.contact().email().orElseThrow();
          int n = Integer.parseInt(email.substring(1, email.indexOf('@')));
          assertThat(r.activity()).containsExactly((byte) n);
        }
        return null;
      }));
    }
    for (int i = 1; i <= 100; i++) {
      s.checkpoint(List.of(user("ann", "v" + i + "@example.com", i)), 1 + i);
    }
    for (Future<?> f : readers) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
  }
}
