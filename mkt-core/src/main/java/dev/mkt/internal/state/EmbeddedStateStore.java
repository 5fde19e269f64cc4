package dev.mkt.internal.state;

import dev.mkt.Contact;
import dev.mkt.EventLogConfig;
import dev.mkt.FsyncPolicy;
import dev.mkt.internal.log.SegmentedEventLog;
import dev.mkt.spi.EventLogException;
import dev.mkt.spi.LogBatch;
import dev.mkt.spi.LogRecord;
import dev.mkt.spi.StateStore;
import dev.mkt.spi.UserRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded {@link StateStore}: a checkpoint journal on the same CRC-framed segment format as the event log.
 *
 * <p>A checkpoint appends one record per changed user, then a marker naming the first record of the group and
 * the log position. Recovery reads the journal and applies a group only when its marker is there, so a crash
 * in the middle of a checkpoint leaves the previous one in force. An index (user → journal offset of the
 * user's latest committed record) stays in memory; records are read back on demand.
 *
 * <p>When the journal outgrows the live records (4× and at least {@link #COMPACT_MIN_BYTES}) it is compacted
 * into a new generation directory holding only the latest record of each user; a {@code CURRENT} file,
 * replaced atomically, names the generation in force. A damaged journal is moved aside and the store starts
 * empty at position 0, so the engine rebuilds the state by replaying the event log (reported at ERROR).
 */
public final class EmbeddedStateStore implements StateStore {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedStateStore.class);
  static final long COMPACT_MIN_BYTES = 64L * 1024 * 1024;
  private static final String MARKER_KEY = "\u0000checkpoint";
  private static final byte USER = 'U';
  private static final byte MARKER = 'C';
  private static final int CHUNK_BYTES = 1024 * 1024;

  private record Loc(long offset, int size) {}

  private final Path directory;
  private final long compactMinBytes;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private SegmentedEventLog journal;
  private int generation;
  private final Map<String, Loc> index = new ConcurrentHashMap<>();
  private volatile long position;
  private long liveBytes;

  private EmbeddedStateStore(Path directory, long compactMinBytes) throws IOException {
    this.directory = directory;
    this.compactMinBytes = compactMinBytes;
    Files.createDirectories(directory);
    Path current = directory.resolve("CURRENT");
    generation = Files.exists(current) ? Integer.parseInt(Files.readString(current).trim()) : 0;
    removeOtherGenerations();
    journal = openJournal(generation);
    recover();
  }

  public static EmbeddedStateStore open(Path directory) {
    return open(directory, COMPACT_MIN_BYTES);
  }

  /** With a compaction threshold, for tests. */
  public static EmbeddedStateStore open(Path directory, long compactMinBytes) {
    try {
      return new EmbeddedStateStore(directory, compactMinBytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open state store in " + directory, e);
    }
  }

  private SegmentedEventLog openJournal(int gen) {
    return SegmentedEventLog.open(EventLogConfig.custom(directory.resolve("journal-" + gen))
        .fsync(FsyncPolicy.groupCommit(Duration.ofMillis(1), 1 << 16)).segmentBytes(16L * 1024 * 1024).build());
  }

  private void removeOtherGenerations() throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory, "journal-*")) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (!name.equals("journal-" + generation) && !name.endsWith(".corrupt")) {
          deleteTree(p);
        }
      }
    }
  }

  private void recover() {
    boolean damaged = !journal.recovery().corruptions().isEmpty();
    Map<String, Loc> committed = new HashMap<>();
    List<Object[]> pending = new ArrayList<>();
    long pos = 0;
    long offset = journal.startOffset();
    long end = journal.readableOffset();
    while (offset < end && !damaged) {
      LogBatch b = journal.read(offset, 4096);
      if (!b.corruptions().isEmpty()) {
        damaged = true;
        break;
      }
      for (LogRecord r : b.records()) {
        byte kind = r.data().length == 0 ? 0 : r.data()[0];
        if (kind == USER) {
          pending.add(new Object[] {r.key(), new Loc(r.offset(), r.data().length)});
        } else if (kind == MARKER) {
          ByteBuffer m = ByteBuffer.wrap(r.data(), 1, r.data().length - 1);
          long groupStart = m.getLong();
          pos = m.getLong();
          for (Object[] p : pending) {
            Loc loc = (Loc) p[1];
            if (loc.offset >= groupStart) {
              committed.put((String) p[0], loc);
            }
          }
          pending.clear();
        }
      }
      offset = b.nextOffset();
    }
    if (damaged) {
      log.error("state store: the journal in {} is damaged ({}); moving it aside and starting empty, so the "
          + "engine rebuilds the state by replaying the event log", directory, journal.recovery().corruptions());
      journal.close();
      Path dir = directory.resolve("journal-" + generation);
      try {
        Files.move(dir, directory.resolve("journal-" + generation + "-" + System.currentTimeMillis() + ".corrupt"));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot move the damaged state journal aside", e);
      }
      journal = openJournal(generation);
      committed.clear();
      pos = 0;
    }
    if (!pending.isEmpty()) {
      log.info("state store: ignored {} record(s) of an unfinished checkpoint", pending.size());
    }
    index.putAll(committed);
    liveBytes = committed.values().stream().mapToLong(Loc::size).sum();
    position = pos;
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public Optional<UserRecord> load(String userId) {
    lock.readLock().lock();
    try {
      Loc loc = index.get(userId);
      if (loc == null) {
        return Optional.empty();
      }
      LogBatch b = journal.read(loc.offset, 1);
      if (b.records().isEmpty() || b.records().get(0).offset() != loc.offset) {
        throw new IllegalStateException("state journal lost the record of user " + userId + " at offset "
            + loc.offset + ": " + b.corruptions());
      }
      return Optional.of(decode(b.records().get(0)));
    } finally {
      lock.readLock().unlock();
    }
  }

  private static UserRecord decode(LogRecord r) {
    ByteBuffer b = ByteBuffer.wrap(r.data());
    b.get();
    int contactLen = b.getInt();
    byte[] contact = new byte[contactLen];
    b.get(contact);
    byte[] activity = new byte[b.remaining()];
    b.get(activity);
    Contact c = ContactCodec.fromJson(contact);
    return new UserRecord(r.key(), c, activity);
  }

  private static byte[] encode(UserRecord u) {
    byte[] contact = ContactCodec.toJson(u.contact());
    return ByteBuffer.allocate(1 + 4 + contact.length + u.activity().length).put(USER).putInt(contact.length)
        .put(contact).put(u.activity()).array();
  }

  private static byte[] marker(long groupStart, long position, int count) {
    return ByteBuffer.allocate(1 + 8 + 8 + 4).put(MARKER).putLong(groupStart).putLong(position).putInt(count).array();
  }

  @Override
  public void checkpoint(Collection<UserRecord> changed, long newPosition) {
    if (newPosition < position) {
      throw new IllegalArgumentException("checkpoint position must be >= " + position + ", but was " + newPosition);
    }
    if (changed.isEmpty() && newPosition == position) {
      return;
    }
    // Single writer: appending needs no lock, and readers keep reading the records they index until the new
    // ones are durable and swapped into the index one by one.
    Map<String, Loc> written = write(journal, changed, newPosition, journal.endOffset());
    for (Map.Entry<String, Loc> e : written.entrySet()) {
      Loc old = index.put(e.getKey(), e.getValue());
      liveBytes += e.getValue().size - (old == null ? 0 : old.size);
    }
    position = newPosition;
    long size = journal.stats().sizeBytes();
    if (size > compactMinBytes && size > 4 * liveBytes) {
      lock.writeLock().lock();
      try {
        compact();
      } finally {
        lock.writeLock().unlock();
      }
    }
  }

  /**
   * Appends a checkpoint group (user records, then the marker committing everything from {@code groupStart})
   * and waits until it is durable.
   */
  private static Map<String, Loc> write(SegmentedEventLog j, Collection<UserRecord> users, long position,
      long groupStart) {
    long now = System.currentTimeMillis();
    Map<String, Loc> written = new HashMap<>();
    List<String> keys = new ArrayList<>();
    List<byte[]> data = new ArrayList<>();
    int bytes = 0;
    long last = -1;
    for (UserRecord u : users) {
      byte[] d = encode(u);
      keys.add(u.userId());
      data.add(d);
      bytes += d.length + u.userId().length() + 64;
      if (bytes > CHUNK_BYTES) {
        last = flushChunk(j, keys, data, now, written);
        bytes = 0;
      }
    }
    keys.add(MARKER_KEY);
    data.add(marker(groupStart, position, users.size()));
    last = flushChunk(j, keys, data, now, written);
    try {
      j.whenDurable(last).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EventLogException("interrupted while writing a state checkpoint", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new EventLogException("state checkpoint was not made durable: " + e, e);
    }
    return written;
  }

  private static long flushChunk(SegmentedEventLog j, List<String> keys, List<byte[]> data, long now,
      Map<String, Loc> written) {
    long first = j.appendAll(keys, now, data);
    for (int i = 0; i < keys.size(); i++) {
      if (!keys.get(i).equals(MARKER_KEY)) {
        written.put(keys.get(i), new Loc(first + i, data.get(i).length));
      }
    }
    long last = first + keys.size() - 1;
    keys.clear();
    data.clear();
    return last;
  }

  /** Rewrites the latest record of every user into a new generation, then switches to it. */
  private void compact() {
    int next = generation + 1;
    SegmentedEventLog fresh = openJournal(next);
    List<UserRecord> batch = new ArrayList<>();
    Map<String, Loc> newIndex = new HashMap<>();
    long offset = journal.startOffset();
    long end = journal.readableOffset();
    int bytes = 0;
    while (offset < end) {
      LogBatch b = journal.read(offset, 4096);
      for (LogRecord r : b.records()) {
        Loc loc = index.get(r.key());
        if (loc != null && loc.offset == r.offset()) {
          batch.add(decode(r));
          bytes += r.data().length;
          if (bytes > 8 * CHUNK_BYTES) {
            newIndex.putAll(writeUsers(fresh, batch));
            bytes = 0;
          }
        }
      }
      offset = b.nextOffset();
    }
    newIndex.putAll(write(fresh, batch, position, fresh.startOffset()));
    try {
      Path tmp = directory.resolve("CURRENT.tmp");
      Files.writeString(tmp, Integer.toString(next));
      try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      try {
        Files.move(tmp, directory.resolve("CURRENT"), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, directory.resolve("CURRENT"), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      fresh.close();
      throw new UncheckedIOException("cannot switch the state journal to generation " + next, e);
    }
    SegmentedEventLog old = journal;
    int oldGen = generation;
    journal = fresh;
    generation = next;
    index.clear();
    index.putAll(newIndex);
    liveBytes = newIndex.values().stream().mapToLong(Loc::size).sum();
    old.close();
    try {
      deleteTree(directory.resolve("journal-" + oldGen));
    } catch (IOException e) {
      log.warn("state store: could not delete old journal generation {}: {}", oldGen, e.toString());
    }
    log.info("state store compacted to generation {} ({} users, {} bytes)", next, newIndex.size(), liveBytes);
  }

  /** Writes users as a group without a new position (part of a compaction; the final marker commits all). */
  private Map<String, Loc> writeUsers(SegmentedEventLog j, List<UserRecord> users) {
    Map<String, Loc> written = new HashMap<>();
    List<String> keys = new ArrayList<>();
    List<byte[]> data = new ArrayList<>();
    int bytes = 0;
    for (UserRecord u : users) {
      byte[] d = encode(u);
      keys.add(u.userId());
      data.add(d);
      bytes += d.length + 64;
      if (bytes > CHUNK_BYTES) {
        flushChunk(j, keys, data, System.currentTimeMillis(), written);
        bytes = 0;
      }
    }
    if (!keys.isEmpty()) {
      flushChunk(j, keys, data, System.currentTimeMillis(), written);
    }
    users.clear();
    return written;
  }

  @Override
  public long size() {
    return index.size();
  }

  /** The generation in force (tests). */
  public int generation() {
    return generation;
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      journal.close();
    } finally {
      lock.writeLock().unlock();
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(q);
      }
    }
  }

  @Override
  public String toString() {
    return "EmbeddedStateStore{" + directory + ", generation=" + generation + ", users=" + index.size()
        + ", position=" + position + '}';
  }
}
