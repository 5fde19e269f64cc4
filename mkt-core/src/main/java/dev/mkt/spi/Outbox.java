package dev.mkt.spi;

import dev.mkt.Action;
import dev.mkt.OutboxEntry;
import dev.mkt.OutboxState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decided actions and their way to delivery. The reactor puts actions in; the dispatcher claims due ones,
 * runs them through the gates and channels, and records each change of state.
 *
 * <p>The idempotency key is unique: at most one entry per key, ever (within the outbox's retention of
 * finished entries), so re-deciding an action (a replayed event, a reactor restart) never sends twice.
 *
 * <p>Implementations must be thread-safe. The embedded default ({@link #embedded}) keeps a CRC-framed journal
 * on local disk; the JDBC one (mkt-jdbc) lets several instances share an outbox. Every implementation passes
 * the contract suite {@code dev.mkt.spi.OutboxContract} in mkt-core's test-jar.
 *
 * <p>An outbox that only records decisions (a test fixture, an export to another system) implements
 * {@link #putAll} and {@link #flush} and leaves {@link #supportsDispatch()} false: the engine then records
 * actions in it and does not dispatch. A dispatching outbox implements every method and answers true.
 */
public interface Outbox extends AutoCloseable {

  /** How long a finished (sent, suppressed) entry is kept by default, so its key stays taken. */
  Duration DEFAULT_RETENTION = Duration.ofDays(30);

  /**
   * Adds the actions whose idempotency keys are new, as {@link OutboxState#PENDING} entries due at their
   * {@code notBefore}. Keys already present (in any state) are ignored, as are repeats within the call.
   *
   * @return how many were new
   */
  int putAll(Collection<Action> actions);

  /** Makes every change so far durable (fsync). The reactor calls it before committing its log position. */
  void flush();

  /**
   * Claims up to {@code max} entries due at {@code now}: {@code PENDING} and {@code RETRYING} entries with
   * {@code dueAt <= now}, and {@code SENDING} entries whose claim expired (a dispatcher died mid-send). They
   * are moved to {@code SENDING} with {@code dueAt = now + lease} and returned, earliest due first. No entry
   * is returned to two callers within its lease.
   */
  default List<OutboxEntry> claimDue(Instant now, int max, Duration lease) {
    throw unsupported(this);
  }

  /**
   * Stores {@code next} if the entry with its key is currently in state {@code expected} (compare-and-set).
   *
   * @return whether it was stored; {@code false} if the key is unknown or in another state
   */
  default boolean update(OutboxEntry next, OutboxState expected) {
    throw unsupported(this);
  }

  /** The entry with this key. */
  default Optional<OutboxEntry> get(String idempotencyKey) {
    throw unsupported(this);
  }

  /** Up to {@code limit} entries in {@code state}, oldest change first. */
  default List<OutboxEntry> list(OutboxState state, int limit) {
    throw unsupported(this);
  }

  /** How many entries are in each state. */
  default Map<OutboxState, Long> counts() {
    throw unsupported(this);
  }

  /** When the earliest dispatchable entry is due, if there is one. */
  default Optional<Instant> nextDue() {
    throw unsupported(this);
  }

  /**
   * When the user's actions on {@code channel} or its sub-channels ({@code social} covers
   * {@code social.linkedin}) were sent, at or after {@code since}, oldest first. The per-user frequency cap
   * counts these.
   */
  default List<Instant> sentTimes(String userId, String channel, Instant since) {
    throw unsupported(this);
  }

  /**
   * When the most recent (up to {@code max}) actions on exactly {@code channel} were sent, at or after
   * {@code since}, oldest first. The per-channel rate limit is seeded from these at start-up, so a restart does not reset it.
   */
  default List<Instant> sentTimes(String channel, Instant since, int max) {
    throw unsupported(this);
  }

  /**
   * Whether this outbox implements the dispatch methods ({@link #claimDue} and the rest). Default false: the
   * outbox only records decisions, and the engine does not dispatch from it.
   */
  default boolean supportsDispatch() {
    return false;
  }

  @Override
  default void close() {}

  private static UnsupportedOperationException unsupported(Outbox o) {
    return new UnsupportedOperationException(o.getClass().getName() + " only records decisions (putAll/flush);"
        + " dispatching needs an outbox that implements claimDue, update, get, list, counts, nextDue and sentTimes");
  }

  /**
   * The embedded outbox: a journal of entry changes in {@code directory}, CRC-framed, replayed into memory on
   * open and compacted as it grows; no database needed. One process at a time (a file lock guards it).
   *
   * @param retention how long finished entries are kept (their keys stay taken)
   * @throws dev.mkt.MarketingException if the directory cannot be opened or is locked by another process
   */
  static Outbox embedded(Path directory, Clock clock, Duration retention) {
    return dev.mkt.internal.outbox.EmbeddedOutbox.open(directory, clock, retention);
  }
}
