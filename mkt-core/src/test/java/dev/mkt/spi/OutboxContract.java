package dev.mkt.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.Action;
import dev.mkt.ActionType;
import dev.mkt.OutboxEntry;
import dev.mkt.OutboxState;
import dev.mkt.test.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Outbox} must have. Extend it with {@link #open(MutableClock)} (and
 * {@link #reopen(MutableClock)} for durable outboxes).
 */
public abstract class OutboxContract {
  protected static final Duration LEASE = Duration.ofMinutes(5);
  protected MutableClock clock;
  protected Outbox outbox;

  /** A fresh, empty outbox using {@code clock}. */
  protected abstract Outbox open(MutableClock clock);

  /** Closes the outbox and opens it again on the same storage; {@code null} if it is not durable. */
  protected Outbox reopen(MutableClock clock) {
    return null;
  }

  @BeforeEach
  void setUpOutbox() {
    clock = MutableClock.at("2025-03-01T10:00:00Z");
    outbox = open(clock);
  }

  @AfterEach
  void closeOutbox() {
    if (outbox != null) {
      outbox.close();
    }
  }

  protected Action action(String key, Instant notBefore) {
    return Action.builder().idempotencyKey(key).rule("r").userId("u-" + key.charAt(0)).eventId("e-" + key)
        .type(ActionType.SEND_EMAIL).template("welcome_v1").notBefore(notBefore).var("feature", "export").build();
  }

  protected Action action(String key) {
    return action(key, clock.instant());
  }

  @Test
  void putAll_countsOnlyNewKeys() {
    assertThat(outbox.putAll(List.of(action("a1"), action("a2")))).isEqualTo(2);
    assertThat(outbox.putAll(List.of(action("a1"), action("a3"), action("a3")))).isEqualTo(1);
    assertThat(outbox.counts().get(OutboxState.PENDING)).isEqualTo(3);
  }

  @Test
  void putAll_ignoresAKeyInAnyState() {
    outbox.putAll(List.of(action("a1")));
    OutboxEntry claimed = outbox.claimDue(clock.instant(), 10, LEASE).get(0);
    outbox.update(claimed.toSent(clock.instant(), "email.smtp", "<m1>"), OutboxState.SENDING);

    assertThat(outbox.putAll(List.of(action("a1")))).isZero();
    assertThat(outbox.get("a1").orElseThrow().state()).isEqualTo(OutboxState.SENT);
  }

  @Test
  void putAll_sameKeyFromManyThreads_storesOne() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> fs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      fs.add(pool.submit(() -> {
        go.await();
        return outbox.putAll(List.of(action("same")));
      }));
    }
    go.countDown();
    int total = 0;
    for (Future<Integer> f : fs) {
      total += f.get(10, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(total).isEqualTo(1);
  }

  @Test
  void newEntry_isPendingDueAtNotBefore_withTheActionIntact() {
    Instant later = clock.instant().plus(Duration.ofDays(2));
    Action a = action("a1", later);
    outbox.putAll(List.of(a));
    OutboxEntry e = outbox.get("a1").orElseThrow();
    assertThat(e.state()).isEqualTo(OutboxState.PENDING);
    assertThat(e.dueAt()).isEqualTo(later);
    assertThat(e.action()).isEqualTo(a);
    assertThat(e.attempts()).isZero();
    assertThat(e.createdAt()).isEqualTo(clock.instant());
  }

  @Test
  void claimDue_returnsOnlyDueEntries_earliestFirst_andMarksThemSending() {
    Instant t = clock.instant();
    outbox.putAll(List.of(action("late", t.plusSeconds(60)), action("b", t.minusSeconds(5)),
        action("a", t.minusSeconds(10))));
    List<OutboxEntry> claimed = outbox.claimDue(t, 10, LEASE);
    assertThat(claimed).extracting(OutboxEntry::key).containsExactly("a", "b");
    assertThat(claimed).allSatisfy(e -> {
      assertThat(e.state()).isEqualTo(OutboxState.SENDING);
      assertThat(e.dueAt()).isEqualTo(t.plus(LEASE));
    });
    assertThat(outbox.get("a").orElseThrow().state()).isEqualTo(OutboxState.SENDING);
    assertThat(outbox.claimDue(t, 10, LEASE)).isEmpty();
    assertThat(outbox.claimDue(t.plusSeconds(60), 10, LEASE)).extracting(OutboxEntry::key).containsExactly("late");
  }

  @Test
  void claimDue_takesAtMostMax() {
    for (int i = 0; i < 10; i++) {
      outbox.putAll(List.of(action("k" + i)));
    }
    assertThat(outbox.claimDue(clock.instant(), 3, LEASE)).hasSize(3);
    assertThat(outbox.claimDue(clock.instant(), 100, LEASE)).hasSize(7);
  }

  @Test
  void claimDue_concurrentClaimers_neverShareAnEntry() throws Exception {
    List<Action> as = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      as.add(action("c" + i));
    }
    outbox.putAll(as);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<List<String>>> fs = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      fs.add(pool.submit(() -> {
        List<String> mine = new ArrayList<>();
        List<OutboxEntry> got;
        while (!(got = outbox.claimDue(clock.instant(), 7, LEASE)).isEmpty()) {
          got.forEach(e -> mine.add(e.key()));
        }
        return mine;
      }));
    }
    List<String> all = new ArrayList<>();
    for (Future<List<String>> f : fs) {
      all.addAll(f.get(30, TimeUnit.SECONDS));
    }
    pool.shutdown();
    assertThat(all).hasSize(500).doesNotHaveDuplicates();
  }

  @Test
  void claimDue_takesOverAClaimWhoseLeaseExpired() {
    outbox.putAll(List.of(action("a1")));
    assertThat(outbox.claimDue(clock.instant(), 1, LEASE)).hasSize(1);
    clock.advance(LEASE.minusSeconds(1));
    assertThat(outbox.claimDue(clock.instant(), 1, LEASE)).isEmpty();
    clock.advance(Duration.ofSeconds(2));
    List<OutboxEntry> again = outbox.claimDue(clock.instant(), 1, LEASE);
    assertThat(again).extracting(OutboxEntry::key).containsExactly("a1");
    assertThat(again.get(0).reason()).startsWith("reclaimed");
  }

  @Test
  void update_isACompareAndSetOnTheState() {
    outbox.putAll(List.of(action("a1")));
    OutboxEntry e = outbox.claimDue(clock.instant(), 1, LEASE).get(0);
    OutboxEntry sent = e.toSent(clock.instant(), "email.smtp", "<id@x>");
    assertThat(outbox.update(sent, OutboxState.PENDING)).isFalse();
    assertThat(outbox.update(sent, OutboxState.SENDING)).isTrue();
    assertThat(outbox.update(sent, OutboxState.SENDING)).isFalse();
    OutboxEntry stored = outbox.get("a1").orElseThrow();
    assertThat(stored).isEqualTo(sent);
    assertThat(stored.attempts()).isEqualTo(1);
    assertThat(stored.providerMessageId()).isEqualTo("<id@x>");
  }

  @Test
  void update_ofAnUnknownKey_isRefused() {
    OutboxEntry ghost = OutboxEntry.pending(action("ghost"), clock.instant());
    assertThat(outbox.update(ghost, OutboxState.PENDING)).isFalse();
    assertThat(outbox.get("ghost")).isEmpty();
  }

  @Test
  void deferredEntry_isDueAgainAtItsNewTime() {
    outbox.putAll(List.of(action("a1")));
    OutboxEntry e = outbox.claimDue(clock.instant(), 1, LEASE).get(0);
    Instant until = clock.instant().plus(Duration.ofHours(9));
    outbox.update(e.toDeferred(clock.instant(), until, "quiet_hours"), OutboxState.SENDING);
    assertThat(outbox.nextDue()).contains(until);
    assertThat(outbox.claimDue(until.minusMillis(1), 5, LEASE)).isEmpty();
    assertThat(outbox.claimDue(until, 5, LEASE)).extracting(OutboxEntry::reason).containsExactly("quiet_hours");
  }

  @Test
  void list_returnsEntriesInAState_oldestChangeFirst() {
    for (String k : List.of("a", "b", "c")) {
      outbox.putAll(List.of(action(k)));
      OutboxEntry e = outbox.claimDue(clock.instant(), 1, LEASE).get(0);
      outbox.update(e.toDead(clock.instant(), "email.smtp", "boom " + k, true), OutboxState.SENDING);
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(outbox.list(OutboxState.DEAD, 10)).extracting(OutboxEntry::reason)
        .containsExactly("boom a", "boom b", "boom c");
    assertThat(outbox.list(OutboxState.DEAD, 2)).hasSize(2);
    assertThat(outbox.list(OutboxState.SENT, 10)).isEmpty();
  }

  @Test
  void counts_coverEveryState() {
    outbox.putAll(List.of(action("a"), action("b")));
    OutboxEntry e = outbox.claimDue(clock.instant(), 1, LEASE).get(0);
    outbox.update(e.toSuppressed(clock.instant(), "opted_out"), OutboxState.SENDING);
    assertThat(outbox.counts()).containsKeys(OutboxState.values());
    assertThat(outbox.counts().get(OutboxState.PENDING)).isEqualTo(1);
    assertThat(outbox.counts().get(OutboxState.SUPPRESSED)).isEqualTo(1);
    assertThat(outbox.counts().get(OutboxState.SENDING)).isZero();
  }

  @Test
  void sentTimes_perUser_coverTheChannelFamily_sinceTheGivenTime() {
    Action email = action("u1-a");
    Action social = Action.builder().idempotencyKey("u1-b").rule("r").userId("u-u").type(ActionType.POST_SOCIAL)
        .channel("social.linkedin").template("launch").notBefore(clock.instant()).build();
    outbox.putAll(List.of(email, social));
    Instant t0 = clock.instant();
    for (OutboxEntry e : outbox.claimDue(clock.instant(), 10, LEASE)) {
      outbox.update(e.toSent(clock.instant(), "p", null), OutboxState.SENDING);
      clock.advance(Duration.ofMinutes(1));
    }
    assertThat(outbox.sentTimes("u-u", "email", t0)).containsExactly(t0);
    assertThat(outbox.sentTimes("u-u", "social", t0)).containsExactly(t0.plusSeconds(60));
    assertThat(outbox.sentTimes("u-u", "email", t0.plusSeconds(1))).isEmpty();
    assertThat(outbox.sentTimes("nobody", "email", t0)).isEmpty();
  }

  @Test
  void sentTimes_perChannel_returnTheMostRecent() {
    Instant t0 = clock.instant();
    for (int i = 0; i < 5; i++) {
      outbox.putAll(List.of(action("s" + i)));
      OutboxEntry e = outbox.claimDue(clock.instant(), 1, LEASE).get(0);
      outbox.update(e.toSent(clock.instant(), "p", null), OutboxState.SENDING);
      clock.advance(Duration.ofMinutes(1));
    }
    assertThat(outbox.sentTimes("email", t0, 2)).containsExactly(t0.plusSeconds(180), t0.plusSeconds(240));
    assertThat(outbox.sentTimes("email", t0.plusSeconds(200), 10)).containsExactly(t0.plusSeconds(240));
  }

  @Test
  void entries_surviveARestart() {
    outbox.putAll(List.of(action("a1"), action("a2", clock.instant().plus(Duration.ofDays(5)))));
    OutboxEntry e = outbox.claimDue(clock.instant(), 1, LEASE).get(0);
    outbox.update(e.toSent(clock.instant(), "email.smtp", "<m>"), OutboxState.SENDING);
    outbox.flush();
    Outbox again = reopen(clock);
    if (again == null) {
      return; // not a durable outbox
    }
    outbox = again;
    assertThat(outbox.get("a1").orElseThrow().state()).isEqualTo(OutboxState.SENT);
    assertThat(outbox.get("a2").orElseThrow().dueAt()).isEqualTo(clock.instant().plus(Duration.ofDays(5)));
    assertThat(outbox.putAll(List.of(action("a1"), action("a2")))).isZero();
    Set<String> keys = new HashSet<>();
    clock.advance(Duration.ofDays(5));
    outbox.claimDue(clock.instant(), 10, LEASE).forEach(x -> keys.add(x.key()));
    assertThat(keys).isEqualTo(Collections.singleton("a2"));
  }
}
