package dev.mkt.internal.outbox;

import static java.util.Objects.requireNonNull;

import dev.mkt.Action;
import dev.mkt.MarketingException;
import dev.mkt.OutboxEntry;
import dev.mkt.OutboxState;
import dev.mkt.spi.Outbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded {@link Outbox}: every entry in memory, every change appended to a CRC-framed journal
 * ({@link OutboxJournal}) before the call returns, the journal replayed on open and compacted when it holds
 * much more than the live entries.
 *
 * <p>Durability: a change is handed to the operating system before the call returns, so a crash of the process
 * (kill -9) loses nothing. {@link #flush()} fsyncs; so does a background sync every
 * {@value #SYNC_INTERVAL_MILLIS} ms while there are unsynced changes, which bounds what a power failure can
 * take back. The reactor calls {@link #flush()} before it commits its log position, so a decided action is on
 * disk before the event that decided it is considered processed.
 *
 * <p>Memory: each entry is kept whole (about 0.5 KB), for {@code retention} after it finished. Compaction drops
 * finished entries older than that.
 */
public final class EmbeddedOutbox implements Outbox {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedOutbox.class);
  static final long SYNC_INTERVAL_MILLIS = 100;
  /** Recent sends kept per user for the frequency cap. */
  static final int SENT_PER_USER = 64;
  private static final long COMPACT_MIN_RECORDS = 10_000;

  private final Path directory;
  private final Clock clock;
  private final Duration retention;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final OutboxJournal journal;
  private final Object mutex = new Object();
  /** Serializes fsyncs (taken before {@link #mutex}, never while holding it). */
  private final Object forceLock = new Object();
  private final ScheduledExecutorService syncer;

  private final Map<String, OutboxEntry> entries = new HashMap<>();
  private final TreeSet<Due> due = new TreeSet<>();
  private final Map<String, Due> dueByKey = new HashMap<>();
  private final Map<String, ArrayDeque<Sent>> sentByUser = new HashMap<>();
  private final EnumMap<OutboxState, Long> counts = new EnumMap<>(OutboxState.class);
  private long seq;
  private boolean closed;

  /** A dispatchable (or claimed) entry in due order. */
  private record Due(long dueMillis, long seq, String key) implements Comparable<Due> {
    @Override
    public int compareTo(Due o) {
      int c = Long.compare(dueMillis, o.dueMillis);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private record Sent(String channel, Instant at) {}

  private EmbeddedOutbox(Path directory, Clock clock, Duration retention, FileChannel lockChannel, FileLock lock)
      throws IOException {
    this.directory = directory;
    this.clock = clock;
    this.retention = retention;
    this.lockChannel = lockChannel;
    this.lock = lock;
    for (OutboxState s : OutboxState.values()) {
      counts.put(s, 0L);
    }
    OutboxJournal.Recovery rec = new OutboxJournal.Recovery();
    Map<String, OutboxEntry> loaded = new HashMap<>();
    long[] bad = new long[1];
    this.journal = OutboxJournal.open(directory, body -> {
      try {
        OutboxEntry e = OutboxCodec.decode(body);
        loaded.put(e.key(), e);
      } catch (IOException | RuntimeException ex) {
        bad[0]++;
        log.error("outbox journal: skipped an undecodable record: {}", ex.toString());
      }
    }, rec);
    Instant now = clock.instant();
    int reclaimed = 0;
    for (OutboxEntry e : loaded.values()) {
      if (e.state() == OutboxState.SENDING) {
        // This process holds the lock, so no one is sending it any more: claimable at once.
        e = e.toBuilder().dueAt(Instant.EPOCH).build();
        reclaimed++;
      }
      index(e);
    }
    if (rec.truncatedBytes > 0) {
      log.warn("outbox journal: truncated a torn tail of {} bytes (a crash during a write)", rec.truncatedBytes);
    }
    log.info("outbox: {} entries ({} dispatchable, {} interrupted sends to retry) from {} journal records in {}",
        entries.size(), due.size(), reclaimed, rec.records, directory);
    if (rec.corruptedBytes > 0 || bad[0] > 0 || shouldCompact()) {
      compact(now);
    }
    this.syncer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mkt-outbox-sync");
      t.setDaemon(true);
      return t;
    });
    syncer.scheduleWithFixedDelay(this::backgroundSync, SYNC_INTERVAL_MILLIS, SYNC_INTERVAL_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  /** Opens (creating) the outbox in {@code directory}. See {@link Outbox#embedded}. */
  public static EmbeddedOutbox open(Path directory, Clock clock, Duration retention) {
    requireNonNull(directory, "directory");
    requireNonNull(clock, "clock");
    requireNonNull(retention, "retention");
    FileChannel lockChannel = null;
    try {
      Files.createDirectories(directory);
      lockChannel = FileChannel.open(directory.resolve(".lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        lockChannel.close();
        throw new MarketingException("outbox in " + directory + " is in use by another engine (its .lock is held);"
            + " give each engine its own data directory, or use a shared outbox such as mkt-jdbc's");
      }
      return new EmbeddedOutbox(directory, clock, retention, lockChannel, lock);
    } catch (IOException e) {
      closeQuietly(lockChannel);
      throw new MarketingException("cannot open the outbox in " + directory + ": " + e, e);
    }
  }

  // ------------------------------------------------------------------ writes

  @Override
  public int putAll(Collection<Action> actions) {
    Instant now = clock.instant();
    // Encode outside the lock (almost every action is new); filter and write under it.
    List<OutboxEntry> candidates = new ArrayList<>(actions.size());
    List<byte[]> encoded = new ArrayList<>(actions.size());
    for (Action a : actions) {
      OutboxEntry e = OutboxEntry.pending(a, now);
      candidates.add(e);
      encoded.add(OutboxCodec.encode(e));
    }
    synchronized (mutex) {
      checkOpen();
      List<OutboxEntry> fresh = new ArrayList<>();
      List<byte[]> bodies = new ArrayList<>();
      Set<String> batch = new HashSet<>();
      for (int i = 0; i < candidates.size(); i++) {
        OutboxEntry e = candidates.get(i);
        if (!entries.containsKey(e.key()) && batch.add(e.key())) {
          fresh.add(e);
          bodies.add(encoded.get(i));
        }
      }
      if (fresh.isEmpty()) {
        return 0;
      }
      write(bodies);
      for (OutboxEntry e : fresh) {
        index(e);
      }
      maybeCompact(now);
      return fresh.size();
    }
  }

  /**
   * Forces the journal to disk without holding the outbox's lock during the fsync, so workers' updates and the
   * reactor's puts go on while the disk works (an fsync costs 1–60 ms on the disks we measured). Concurrent
   * flushes are grouped: one thread forces at a time, and a flush that arrives while a force is running waits
   * for it and then forces whatever was written since, which usually covers several callers at once.
   */
  @Override
  public void flush() {
    synchronized (forceLock) {
      OutboxJournal.SyncPoint point;
      synchronized (mutex) {
        if (closed) {
          return;
        }
        point = journal.syncPoint();
      }
      if (point == null) {
        return; // someone else's force covered everything written before this call
      }
      try {
        point.channel().force(false);
      } catch (java.nio.channels.ClosedChannelException e) {
        synchronized (mutex) {
          if (closed || journal.rewrittenSince(point)) {
            return; // closed (close forces) or compacted (the rewrite forced the new file)
          }
        }
        throw new UncheckedIOException("outbox: fsync failed in " + directory, e);
      } catch (IOException e) {
        throw new UncheckedIOException("outbox: fsync failed in " + directory, e);
      }
      synchronized (mutex) {
        journal.synced(point);
      }
    }
  }

  /**
   * Claims are kept in memory only, not journaled: this process holds the directory's lock, so a claim cannot
   * be contested, and after a restart a claimed entry comes back in the state it was claimed from, already due,
   * and is claimed again. That saves a journal record per delivery.
   */
  @Override
  public List<OutboxEntry> claimDue(Instant now, int max, Duration lease) {
    if (max <= 0) {
      return List.of();
    }
    long nowMillis = now.toEpochMilli();
    synchronized (mutex) {
      checkOpen();
      List<OutboxEntry> claimed = new ArrayList<>();
      Iterator<Due> it = due.iterator();
      while (it.hasNext() && claimed.size() < max) {
        Due d = it.next();
        if (d.dueMillis > nowMillis) {
          break;
        }
        OutboxEntry e = entries.get(d.key);
        OutboxEntry next = e.toSending(now, now.plus(lease));
        if (e.state() == OutboxState.SENDING) {
          next = next.toBuilder().reason("reclaimed: the previous claim expired (interrupted send)").build();
        }
        claimed.add(next);
      }
      for (OutboxEntry e : claimed) {
        index(e);
      }
      return claimed;
    }
  }

  @Override
  public boolean update(OutboxEntry next, OutboxState expected) {
    requireNonNull(next, "next");
    byte[] body = next.state() == OutboxState.SENDING ? null : OutboxCodec.encode(next); // outside the lock
    synchronized (mutex) {
      checkOpen();
      OutboxEntry cur = entries.get(next.key());
      if (cur == null || cur.state() != expected) {
        return false;
      }
      if (body != null) {
        write(List.of(body));
      }
      index(next);
      maybeCompact(next.updatedAt());
      return true;
    }
  }

  private void write(List<byte[]> bodies) {
    try {
      journal.append(bodies);
    } catch (IOException e) {
      throw new UncheckedIOException("outbox: cannot write the journal in " + directory, e);
    }
  }

  /** Puts {@code e} in the maps and indexes, replacing the previous version of its key. */
  private void index(OutboxEntry e) {
    OutboxEntry old = entries.put(e.key(), e);
    if (old != null) {
      counts.merge(old.state(), -1L, Long::sum);
    }
    counts.merge(e.state(), 1L, Long::sum);
    Due d = dueByKey.remove(e.key());
    if (d != null) {
      due.remove(d);
    }
    if (e.state().isDispatchable() || e.state() == OutboxState.SENDING) {
      Due nd = new Due(e.dueAt().toEpochMilli(), seq++, e.key());
      due.add(nd);
      dueByKey.put(e.key(), nd);
    }
    if (e.state() == OutboxState.SENT && (old == null || old.state() != OutboxState.SENT)) {
      ArrayDeque<Sent> q = sentByUser.computeIfAbsent(e.action().userId(), u -> new ArrayDeque<>());
      q.addLast(new Sent(e.action().channel(), e.updatedAt()));
      while (q.size() > SENT_PER_USER) {
        q.removeFirst();
      }
    }
  }

  private void unindex(OutboxEntry e) {
    entries.remove(e.key());
    counts.merge(e.state(), -1L, Long::sum);
    Due d = dueByKey.remove(e.key());
    if (d != null) {
      due.remove(d);
    }
  }

  // ------------------------------------------------------------------ reads

  @Override
  public Optional<OutboxEntry> get(String idempotencyKey) {
    synchronized (mutex) {
      return Optional.ofNullable(entries.get(idempotencyKey));
    }
  }

  @Override
  public List<OutboxEntry> list(OutboxState state, int limit) {
    List<OutboxEntry> out = new ArrayList<>();
    synchronized (mutex) {
      for (OutboxEntry e : entries.values()) {
        if (e.state() == state) {
          out.add(e);
        }
      }
    }
    out.sort(Comparator.comparing(OutboxEntry::updatedAt).thenComparing(OutboxEntry::key));
    return out.size() > limit ? List.copyOf(out.subList(0, Math.max(0, limit))) : out;
  }

  @Override
  public Map<OutboxState, Long> counts() {
    synchronized (mutex) {
      return new EnumMap<>(counts);
    }
  }

  @Override
  public Optional<Instant> nextDue() {
    synchronized (mutex) {
      return due.isEmpty() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(due.first().dueMillis));
    }
  }

  @Override
  public List<Instant> sentTimes(String userId, String channel, Instant since) {
    List<Instant> out = new ArrayList<>();
    synchronized (mutex) {
      ArrayDeque<Sent> q = sentByUser.get(userId);
      if (q != null) {
        for (Sent s : q) {
          if (matches(channel, s.channel) && !s.at.isBefore(since)) {
            out.add(s.at);
          }
        }
      }
    }
    out.sort(null);
    return out;
  }

  @Override
  public List<Instant> sentTimes(String channel, Instant since, int max) {
    List<Instant> out = new ArrayList<>();
    synchronized (mutex) {
      for (OutboxEntry e : entries.values()) {
        if (e.state() == OutboxState.SENT && e.action().channel().equals(channel)
            && !e.updatedAt().isBefore(since)) {
          out.add(e.updatedAt());
        }
      }
    }
    out.sort(null);
    return out.size() > max ? List.copyOf(out.subList(out.size() - max, out.size())) : out;
  }

  private static boolean matches(String pattern, String channel) {
    return channel.equals(pattern) || channel.startsWith(pattern + ".");
  }

  @Override
  public boolean supportsDispatch() {
    return true;
  }

  // ------------------------------------------------------------------ compaction and lifecycle

  private boolean shouldCompact() {
    return journal.records() > COMPACT_MIN_RECORDS && journal.records() > 3L * entries.size();
  }

  private void maybeCompact(Instant now) {
    if (shouldCompact()) {
      compact(now);
    }
  }

  /** Drops finished entries past retention and rewrites the journal with one record per live entry. */
  private void compact(Instant now) {
    Instant horizon = now.minus(retention);
    List<OutboxEntry> expired = new ArrayList<>();
    for (OutboxEntry e : entries.values()) {
      if (e.state().isTerminal() && e.updatedAt().isBefore(horizon)) {
        expired.add(e);
      }
    }
    for (OutboxEntry e : expired) {
      unindex(e);
    }
    for (Iterator<ArrayDeque<Sent>> it = sentByUser.values().iterator(); it.hasNext(); ) {
      ArrayDeque<Sent> q = it.next();
      q.removeIf(s -> s.at.isBefore(horizon));
      if (q.isEmpty()) {
        it.remove();
      }
    }
    List<byte[]> bodies = new ArrayList<>(entries.size());
    for (OutboxEntry e : entries.values()) {
      bodies.add(OutboxCodec.encode(e));
    }
    long before = journal.records();
    try {
      journal.rewrite(bodies);
    } catch (IOException e) {
      // The old journal is intact; compaction is retried at the next threshold.
      log.error("outbox: compaction failed in {}: {}", directory, e.toString());
      return;
    }
    log.info("outbox: compacted {} journal records to {} entries ({} finished entries past retention dropped)",
        before, bodies.size(), expired.size());
  }

  private void backgroundSync() {
    try {
      flush();
    } catch (RuntimeException e) {
      log.warn("outbox: background fsync failed: {}", e.toString());
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("outbox is closed");
    }
  }

  /** The journal's record count (for tests of compaction). */
  long journalRecords() {
    synchronized (mutex) {
      return journal.records();
    }
  }

  /** Forces a compaction now (for tests and tools). */
  public void compactNow() {
    synchronized (mutex) {
      checkOpen();
      compact(clock.instant());
    }
  }

  @Override
  public void close() {
    synchronized (mutex) {
      if (closed) {
        return;
      }
      closed = true;
    }
    syncer.shutdownNow();
    synchronized (mutex) {
      try {
        journal.close();
      } catch (IOException e) {
        log.warn("outbox: closing the journal failed: {}", e.toString());
      }
      try {
        lock.release();
      } catch (IOException e) {
        log.debug("outbox: releasing the lock failed: {}", e.toString());
      }
      closeQuietly(lockChannel);
    }
  }

  private static void closeQuietly(FileChannel c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }
}
