package dev.mkt.internal.log;

import dev.mkt.EventLogConfig;
import dev.mkt.FsyncPolicy;
import dev.mkt.spi.EventLog;
import dev.mkt.spi.EventLogException;
import dev.mkt.spi.EventLogStats;
import dev.mkt.spi.LogBatch;
import dev.mkt.spi.LogCorruption;
import dev.mkt.spi.LogRecord;
import dev.mkt.spi.LogRecovery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded {@link EventLog}: append-only segment files of CRC32C-framed records (see {@link RecordFormat}).
 *
 * <p><b>Write path.</b> Producers frame records into one of two in-memory buffers under a short lock (offset
 * assignment, CRC, copy) and return. A single writer thread swaps the buffers when the group-commit window
 * ends, the batch bound is reached, or a producer waits; it writes the full buffer with one {@code write},
 * fsyncs per {@link FsyncPolicy}, then publishes the new readable/durable position and completes durability
 * futures. Producers never make system calls, so appends cost a lock and a memory copy.
 *
 * <p><b>Failure.</b> If a write or fsync fails (disk full), the writer truncates the partial write, keeps the
 * buffer and retries with backoff; producers continue until both buffers are full and then get an
 * {@link EventLogException} after {@link #APPEND_WAIT}. Nothing accepted is dropped by the log itself.
 *
 * <p><b>Recovery.</b> On open the last segment is scanned: a torn tail (incomplete or invalid final frame
 * with nothing valid after it) is truncated and its size reported; a corrupted stretch followed by valid
 * frames is reported and kept (reads skip it and report it again). Older segments are verified as they are
 * read.
 */
public final class SegmentedEventLog implements EventLog {
  private static final Logger log = LoggerFactory.getLogger(SegmentedEventLog.class);
  private static final Pattern SEGMENT_NAME = Pattern.compile("\\d{20}\\.seg");
  private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  /** How long a producer waits for buffer space before {@link EventLogException}. */
  static final Duration APPEND_WAIT = Duration.ofSeconds(5);
  private static final long RETENTION_CHECK_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final EventLogConfig config;
  private final FsyncPolicy.Mode mode;
  private final long windowNanos;
  private final int maxBatch;
  private final Path segmentsDir;
  private final Path consumersDir;
  private final LogRecovery recovery;

  private final ReentrantReadWriteLock segmentsLock = new ReentrantReadWriteLock();
  private final TreeMap<Long, Segment> segments = new TreeMap<>();

  // ---- append side, guarded by appendLock
  private final ReentrantLock appendLock = new ReentrantLock();
  private final Condition flushNeeded = appendLock.newCondition();
  private final Condition spaceFreed = appendLock.newCondition();
  private ByteBuffer active;
  private ByteBuffer spare;
  private final List<long[]> activeRolls = new ArrayList<>();
  private final List<long[]> activeIndex = new ArrayList<>();
  private long nextOffset;
  private long logicalSegmentBytes;
  private int pending;
  private long firstPendingNanos;
  private int spaceWaiters;
  private final CRC32C crc = new CRC32C();
  private final ByteBuffer scratch = ByteBuffer.allocate(RecordFormat.BODY_FIXED_BYTES);
  private boolean closing;
  private long appended;

  // ---- writer side
  private final Thread writer;
  private Segment activeSegment;
  private volatile long readableOffset;
  private volatile long durableOffset;
  private volatile boolean closed;
  private volatile Throwable writerFailure;
  private final Object readableMonitor = new Object();
  private final PriorityQueue<Waiter> waiters = new PriorityQueue<>();
  private final AtomicLong bytesWritten = new AtomicLong();
  private final AtomicLong fsyncs = new AtomicLong();
  private final AtomicLong corruptionsSeen = new AtomicLong();
  private long lastRetentionNanos = System.nanoTime();

  // ---- readers
  private final ThreadLocal<SegmentScanner> scanners = ThreadLocal.withInitial(SegmentScanner::new);
  /** Remembers where the last read stopped: next offset → position, per segment base. */
  private final Map<Long, long[]> cursors = new ConcurrentHashMap<>();
  private final Map<String, Long> committedCache = new ConcurrentHashMap<>();

  private static final class Waiter implements Comparable<Waiter> {
    final long offset;
    final CompletableFuture<Void> future = new CompletableFuture<>();

    Waiter(long offset) {
      this.offset = offset;
    }

    @Override
    public int compareTo(Waiter o) {
      return Long.compare(offset, o.offset);
    }
  }

  private SegmentedEventLog(EventLogConfig config) throws IOException {
    this.config = config;
    this.mode = config.fsync().mode();
    this.windowNanos = config.fsync().window().toNanos();
    this.maxBatch = config.fsync().maxBatch();
    Path dir = config.directory();
    this.segmentsDir = dir.resolve("segments");
    this.consumersDir = dir.resolve("consumers");
    Files.createDirectories(segmentsDir);
    Files.createDirectories(consumersDir);
    this.recovery = recover();
    this.active = ByteBuffer.allocateDirect(config.bufferBytes());
    this.spare = ByteBuffer.allocateDirect(config.bufferBytes());
    this.writer = new Thread(this::writerLoop, "mkt-log-writer-" + dir.getFileName());
    this.writer.setDaemon(true);
    this.writer.start();
  }

  /** Opens (recovering) or creates the log in {@code config.directory()}. */
  public static SegmentedEventLog open(EventLogConfig config) {
    try {
      return new SegmentedEventLog(config);
    } catch (IOException e) {
      throw new EventLogException("cannot open event log in " + config.directory() + ": " + e, e);
    }
  }

  // ------------------------------------------------------------------ recovery

  private LogRecovery recover() throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(segmentsDir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (SEGMENT_NAME.matcher(name).matches()) {
          files.add(p);
        } else if (name.endsWith(".seg.tmp")) {
          Files.deleteIfExists(p);
        }
      }
    }
    files.sort(null);
    List<LogCorruption> corruptions = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      Path p = files.get(i);
      long base = Long.parseLong(p.getFileName().toString().substring(0, 20));
      boolean last = i == files.size() - 1;
      long size = Files.size(p);
      if (size < RecordFormat.SEGMENT_HEADER_BYTES || !headerValid(p, base)) {
        if (last && size < RecordFormat.SEGMENT_HEADER_BYTES) {
          // Crashed while creating the segment: nothing in it was ever readable.
          writeHeader(p, base);
          if (size > 0) {
            log.warn("event log: rewrote the incomplete header of {} ({} bytes)", p.getFileName(), size);
          }
        } else {
          Path moved = p.resolveSibling(p.getFileName() + ".corrupt");
          Files.move(p, moved, StandardCopyOption.REPLACE_EXISTING);
          long next = last ? base : Long.parseLong(files.get(i + 1).getFileName().toString().substring(0, 20));
          LogCorruption c = new LogCorruption(base, next, p.getFileName().toString(), 0, size,
              "bad segment header; file moved aside to " + moved.getFileName());
          log.error("event log: {}", c);
          corruptions.add(c);
          corruptionsSeen.incrementAndGet();
          if (last) {
            writeHeader(p, base);
          } else {
            continue;
          }
        }
      }
      Segment s = new Segment(base, p);
      s.readableBytes = Files.size(p);
      s.writtenBytes = s.readableBytes;
      segments.put(base, s);
    }
    if (segments.isEmpty()) {
      Path p = segmentPath(0);
      writeHeader(p, 0);
      fsyncDirectory(segmentsDir);
      Segment s = new Segment(0, p);
      s.readableBytes = RecordFormat.SEGMENT_HEADER_BYTES;
      s.writtenBytes = s.readableBytes;
      segments.put(0L, s);
    }
    Segment tail = segments.lastEntry().getValue();
    FileChannel ch = tail.channel();
    long[] count = {0};
    SegmentScanner.End end = scanners.get().scan(tail, ch, RecordFormat.SEGMENT_HEADER_BYTES, tail.baseOffset,
        ch.size(), false, new SegmentScanner.Visitor() {
          @Override
          public boolean frame(RecordFormat.Frame f, long position) {
            if (count[0]++ == 0) {
              tail.firstAppendTime = f.time;
            }
            if (f.offset % RecordFormat.INDEX_INTERVAL == 0) {
              tail.addIndex(f.offset, position);
            }
            return true;
          }

          @Override
          public void corruption(LogCorruption c) {
            log.error("event log: {}; the valid records after it are kept", c);
            corruptions.add(c);
            corruptionsSeen.incrementAndGet();
          }
        });
    long truncated = end.tailBytes;
    if (truncated > 0) {
      log.warn("event log: truncated a torn tail of {} bytes at byte {} of {} ({}); offsets from {} were never "
          + "durable", truncated, end.position, tail.fileName(), end.tailReason, end.expectedOffset);
      ch.truncate(end.position);
      ch.force(true);
    }
    tail.readableBytes = end.position;
    tail.writtenBytes = end.position;
    tail.indexed = true;
    activeSegment = tail;
    nextOffset = end.expectedOffset;
    readableOffset = nextOffset;
    durableOffset = nextOffset;
    logicalSegmentBytes = end.position;
    LogRecovery r = new LogRecovery(segments.size(), count[0], truncated, List.copyOf(corruptions), nextOffset);
    log.info("event log opened in {}: {} segment(s), next offset {}, fsync {}", config.directory(),
        segments.size(), nextOffset, config.fsync());
    return r;
  }

  private static boolean headerValid(Path p, long base) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(RecordFormat.SEGMENT_HEADER_BYTES);
      while (b.hasRemaining() && ch.read(b) > 0) {
        // read fully
      }
      b.flip();
      return b.remaining() == RecordFormat.SEGMENT_HEADER_BYTES && b.getLong() == RecordFormat.SEGMENT_MAGIC
          && b.getLong() == base;
    }
  }

  private static void writeHeader(Path p, long base) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer b = ByteBuffer.allocate(RecordFormat.SEGMENT_HEADER_BYTES);
      b.putLong(RecordFormat.SEGMENT_MAGIC).putLong(base).flip();
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
  }

  private Path segmentPath(long base) {
    return segmentsDir.resolve(String.format("%020d.seg", base));
  }

  private static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open directories; the rename/create is still atomic there.
      log.debug("cannot fsync directory {}: {}", dir, e.toString());
    }
  }

  // ------------------------------------------------------------------ append

  @Override
  public long append(String key, long appendTimeMillis, byte[] record) {
    byte[] k = keyBytes(key);
    int size = frameSize(k, record);
    long offset;
    appendLock.lock();
    try {
      awaitSpace(size);
      offset = put(k, appendTimeMillis, record, size);
      afterPut();
    } finally {
      appendLock.unlock();
    }
    if (mode == FsyncPolicy.Mode.ALWAYS) {
      awaitDurable(offset);
    }
    return offset;
  }

  @Override
  public long appendAll(List<String> keys, long appendTimeMillis, List<byte[]> records) {
    if (keys.size() != records.size()) {
      throw new IllegalArgumentException("keys and records differ in size: " + keys.size() + " vs "
          + records.size());
    }
    if (records.isEmpty()) {
      return endOffset();
    }
    byte[][] ks = new byte[keys.size()][];
    int total = 0;
    for (int i = 0; i < ks.length; i++) {
      ks[i] = keyBytes(keys.get(i));
      total += frameSize(ks[i], records.get(i));
    }
    if (total > config.bufferBytes()) {
      throw new EventLogException("batch of " + records.size() + " records is " + total
          + " bytes; a batch must fit the log buffer of " + config.bufferBytes() + " bytes");
    }
    long first;
    appendLock.lock();
    try {
      awaitSpace(total);
      first = nextOffset;
      for (int i = 0; i < ks.length; i++) {
        put(ks[i], appendTimeMillis, records.get(i), RecordFormat.frameSize(ks[i].length, records.get(i).length));
      }
      afterPut();
    } finally {
      appendLock.unlock();
    }
    if (mode == FsyncPolicy.Mode.ALWAYS) {
      awaitDurable(first + records.size() - 1);
    }
    return first;
  }

  private static byte[] keyBytes(String key) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    if (k.length > RecordFormat.MAX_KEY_BYTES) {
      throw new EventLogException("record key is " + k.length + " bytes; at most " + RecordFormat.MAX_KEY_BYTES
          + " are allowed");
    }
    return k;
  }

  private int frameSize(byte[] key, byte[] record) {
    int size = RecordFormat.frameSize(key.length, record.length);
    if (size > config.bufferBytes() || size + RecordFormat.SEGMENT_HEADER_BYTES > config.segmentBytes()) {
      throw new EventLogException("record of " + record.length + " bytes does not fit the log buffer ("
          + config.bufferBytes() + " bytes) or segment (" + config.segmentBytes() + " bytes)");
    }
    return size;
  }

  /** Waits (appendLock held) until the active buffer has {@code size} bytes free. */
  private void awaitSpace(int size) {
    if (closing || closed) {
      throw new EventLogException("event log in " + config.directory() + " is closed");
    }
    if (active.remaining() >= size) {
      return;
    }
    long deadline = System.nanoTime() + APPEND_WAIT.toNanos();
    spaceWaiters++;
    try {
      while (active.remaining() < size) {
        flushNeeded.signal();
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          Throwable f = writerFailure;
          throw new EventLogException("event log in " + config.directory() + " cannot keep up: write buffers "
              + "full for " + APPEND_WAIT.toSeconds() + "s" + (f == null ? "" : "; last write error: " + f), f);
        }
        try {
          spaceFreed.awaitNanos(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new EventLogException("interrupted while waiting for event log buffer space", e);
        }
        if (closing || closed) {
          throw new EventLogException("event log in " + config.directory() + " is closed");
        }
      }
    } finally {
      spaceWaiters--;
    }
  }

  /** Frames one record into the active buffer (appendLock held); returns its offset. */
  private long put(byte[] key, long time, byte[] data, int size) {
    long offset = nextOffset++;
    if (logicalSegmentBytes + size > config.segmentBytes()
        && logicalSegmentBytes > RecordFormat.SEGMENT_HEADER_BYTES) {
      activeRolls.add(new long[] {active.position(), offset});
      logicalSegmentBytes = RecordFormat.SEGMENT_HEADER_BYTES;
    }
    if (offset % RecordFormat.INDEX_INTERVAL == 0) {
      activeIndex.add(new long[] {active.position(), offset, logicalSegmentBytes});
    }
    RecordFormat.write(active, offset, time, key, data, crc, scratch);
    logicalSegmentBytes += size;
    appended++;
    return offset;
  }

  private void afterPut() {
    if (pending == 0) {
      firstPendingNanos = System.nanoTime();
      pending = 1;
      flushNeeded.signal();
    } else {
      pending++;
      if (pending >= maxBatch) {
        flushNeeded.signal();
      }
    }
  }

  private void awaitDurable(long offset) {
    try {
      whenDurable(offset).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EventLogException("interrupted while waiting for fsync of offset " + offset, e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new EventLogException("fsync of offset " + offset + " failed: " + e.getCause(), e.getCause());
    }
  }

  @Override
  public CompletableFuture<Void> whenDurable(long offset) {
    if (offset < durableOffset) {
      return CompletableFuture.completedFuture(null);
    }
    Waiter w = new Waiter(offset);
    synchronized (waiters) {
      if (offset < durableOffset) {
        return CompletableFuture.completedFuture(null);
      }
      if (closed) {
        w.future.completeExceptionally(new EventLogException("event log closed before offset " + offset
            + " was durable"));
        return w.future;
      }
      waiters.add(w);
    }
    return w.future;
  }

  // ------------------------------------------------------------------ writer

  private void writerLoop() {
    long backoffMillis = 10;
    ByteBuffer batch = null;
    List<long[]> rolls = new ArrayList<>();
    List<long[]> index = new ArrayList<>();
    long batchEnd = 0;
    while (true) {
      if (batch == null) {
        appendLock.lock();
        try {
          while (pending == 0 && !closing) {
            flushNeeded.awaitNanos(RETENTION_CHECK_NANOS);
            if (pending == 0 && !closing) {
              maybeRetain();
            }
          }
          if (pending == 0 && closing) {
            break;
          }
          if (mode != FsyncPolicy.Mode.ALWAYS) {
            long deadline = firstPendingNanos + windowNanos;
            long now;
            while (pending < maxBatch && spaceWaiters == 0 && !closing
                && (now = System.nanoTime()) < deadline) {
              flushNeeded.awaitNanos(deadline - now);
            }
          }
          batch = active;
          active = spare;
          spare = null;
          rolls.addAll(activeRolls);
          activeRolls.clear();
          index.addAll(activeIndex);
          activeIndex.clear();
          batchEnd = nextOffset;
          pending = 0;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        } finally {
          appendLock.unlock();
        }
        batch.flip();
      }
      try {
        writeBatch(batch, rolls, index);
        backoffMillis = 10;
        writerFailure = null;
      } catch (IOException | RuntimeException e) {
        writerFailure = e;
        log.error("event log: write failed, retrying in {} ms (records are kept in memory): {}", backoffMillis,
            e.toString());
        sleep(backoffMillis);
        backoffMillis = Math.min(backoffMillis * 2, 1000);
        continue;
      }
      rolls.clear();
      index.clear();
      publish(batchEnd);
      appendLock.lock();
      try {
        batch.clear();
        spare = batch;
        batch = null;
        spaceFreed.signalAll();
      } finally {
        appendLock.unlock();
      }
      maybeRetain();
    }
    synchronized (waiters) {
      for (Waiter w : waiters) {
        w.future.completeExceptionally(new EventLogException("event log closed before offset " + w.offset
            + " was durable"));
      }
      waiters.clear();
    }
  }

  /**
   * Writes a batch from its position, rolling segments at the marked positions. Consumes the roll and index
   * marks it has handled and advances the batch position after each chunk, so a retry after a failure
   * continues where the failure happened. A failed chunk leaves its file as before.
   */
  private void writeBatch(ByteBuffer batch, List<long[]> rolls, List<long[]> index) throws IOException {
    int end = batch.limit();
    while (batch.position() < end || !rolls.isEmpty()) {
      int pos = batch.position();
      int stop = rolls.isEmpty() ? end : (int) rolls.get(0)[0];
      if (stop > pos) {
        long fileStart = activeSegment.writtenBytes;
        while (!index.isEmpty() && index.get(0)[0] < stop) {
          long[] e = index.remove(0);
          activeSegment.addIndex(e[1], fileStart + (e[0] - pos));
        }
        writeFully(activeSegment, batch, pos, stop);
        batch.position(stop);
      }
      if (!rolls.isEmpty()) {
        roll(rolls.get(0)[1]);
        rolls.remove(0);
      }
    }
  }

  private void writeFully(Segment seg, ByteBuffer batch, int from, int to) throws IOException {
    FileChannel ch = seg.channel();
    long before = seg.writtenBytes;
    ByteBuffer slice = batch.duplicate();
    slice.position(from).limit(to);
    try {
      long p = before;
      while (slice.hasRemaining()) {
        p += ch.write(slice, p);
      }
      if (mode != FsyncPolicy.Mode.NEVER) {
        ch.force(false);
        fsyncs.incrementAndGet();
      }
    } catch (IOException e) {
      try {
        ch.truncate(before);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    if (seg.firstAppendTime < 0 && to > from) {
      seg.firstAppendTime = batch.getLong(from + RecordFormat.FRAME_HEADER_BYTES + 8);
    }
    seg.writtenBytes = before + (to - from);
    bytesWritten.addAndGet(to - from);
    seg.readableBytes = seg.writtenBytes;
  }

  private void roll(long baseOffset) throws IOException {
    Segment old = activeSegment;
    if (mode != FsyncPolicy.Mode.NEVER) {
      old.channel().force(true);
    }
    Path p = segmentPath(baseOffset);
    writeHeader(p, baseOffset);
    fsyncDirectory(segmentsDir);
    Segment s = new Segment(baseOffset, p);
    s.writtenBytes = RecordFormat.SEGMENT_HEADER_BYTES;
    s.readableBytes = s.writtenBytes;
    s.indexed = true;
    segmentsLock.writeLock().lock();
    try {
      segments.put(baseOffset, s);
    } finally {
      segmentsLock.writeLock().unlock();
    }
    old.indexed = true;
    activeSegment = s;
    log.debug("event log rolled to segment {}", p.getFileName());
  }

  private void publish(long end) {
    readableOffset = end;
    durableOffset = end;
    synchronized (readableMonitor) {
      readableMonitor.notifyAll();
    }
    List<Waiter> done = new ArrayList<>();
    synchronized (waiters) {
      while (!waiters.isEmpty() && waiters.peek().offset < end) {
        done.add(waiters.poll());
      }
    }
    for (Waiter w : done) {
      w.future.complete(null);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ------------------------------------------------------------------ retention

  private void maybeRetain() {
    long now = System.nanoTime();
    if (now - lastRetentionNanos < RETENTION_CHECK_NANOS) {
      return;
    }
    lastRetentionNanos = now;
    retain();
  }

  /** Deletes closed segments beyond the retention age or size. Runs on the writer thread. */
  void retain() {
    long cutoff = System.currentTimeMillis() - config.retentionAge().toMillis();
    List<Segment> doomed = new ArrayList<>();
    segmentsLock.writeLock().lock();
    try {
      long total = 0;
      for (Segment s : segments.values()) {
        total += s.readableBytes;
      }
      while (segments.size() > 1) {
        Segment oldest = segments.firstEntry().getValue();
        long modified;
        try {
          modified = Files.getLastModifiedTime(oldest.path).toMillis();
        } catch (IOException e) {
          modified = Long.MAX_VALUE;
        }
        if (modified < cutoff || total > config.retentionBytes()) {
          segments.pollFirstEntry();
          total -= oldest.readableBytes;
          doomed.add(oldest);
        } else {
          break;
        }
      }
    } finally {
      segmentsLock.writeLock().unlock();
    }
    for (Segment s : doomed) {
      s.close();
      cursors.remove(s.baseOffset);
      try {
        Files.deleteIfExists(s.path);
        log.info("event log retention deleted {}", s.fileName());
      } catch (IOException e) {
        log.warn("event log retention could not delete {}: {}", s.fileName(), e.toString());
      }
    }
  }

  // ------------------------------------------------------------------ read

  @Override
  public long startOffset() {
    segmentsLock.readLock().lock();
    try {
      return segments.firstKey();
    } finally {
      segmentsLock.readLock().unlock();
    }
  }

  @Override
  public long endOffset() {
    appendLock.lock();
    try {
      return nextOffset;
    } finally {
      appendLock.unlock();
    }
  }

  @Override
  public long readableOffset() {
    return readableOffset;
  }

  @Override
  public LogBatch read(long fromOffset, int maxRecords) {
    if (maxRecords < 1) {
      throw new IllegalArgumentException("maxRecords must be >= 1, but was " + maxRecords);
    }
    long limit = readableOffset;
    if (fromOffset > limit && fromOffset > endOffset()) {
      throw new IllegalArgumentException("offset " + fromOffset + " is after the end of the log (" + endOffset()
          + ")");
    }
    List<LogRecord> records = new ArrayList<>(Math.min(maxRecords, 1024));
    List<LogCorruption> corruptions = new ArrayList<>(0);
    long next = fromOffset;
    segmentsLock.readLock().lock();
    try {
      long start = segments.firstKey();
      if (next < start) {
        next = start;
      }
      while (next < limit && records.size() < maxRecords) {
        Map.Entry<Long, Segment> en = segments.floorEntry(next);
        Map.Entry<Long, Segment> following = segments.higherEntry(en.getKey());
        Segment seg = en.getValue();
        long segEndOffset = following == null ? limit : Math.min(limit, following.getKey());
        next = readSegment(seg, next, segEndOffset, following == null, maxRecords, records, corruptions);
        if (next < segEndOffset && records.size() < maxRecords) {
          // The segment ended early (corrupt tail of a closed segment): continue with the next one.
          if (following == null) {
            break;
          }
          corruptions.add(new LogCorruption(next, following.getKey(), seg.fileName(), seg.readableBytes, 0,
              "segment ends before offset " + following.getKey()));
          corruptionsSeen.incrementAndGet();
          next = following.getKey();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading event log at offset " + next, e);
    } finally {
      segmentsLock.readLock().unlock();
    }
    return new LogBatch(records, corruptions, next);
  }

  private long readSegment(Segment seg, long from, long endOffset, boolean isActive, int maxRecords,
      List<LogRecord> out, List<LogCorruption> corruptions) throws IOException {
    long[] cursor = cursors.get(seg.baseOffset);
    long startOffset;
    long startPos;
    if (cursor != null && cursor[0] <= from && cursor[0] >= seg.floor(from)[0]) {
      startOffset = cursor[0];
      startPos = cursor[1];
    } else {
      long[] f = seg.floor(from);
      startOffset = f[0];
      startPos = f[1];
    }
    long endBytes = seg.readableBytes;
    FileChannel ch = seg.channel();
    long[] last = {startOffset, startPos};
    SegmentScanner.End end = scanners.get().scan(seg, ch, startPos, startOffset, endBytes, true,
        new SegmentScanner.Visitor() {
          @Override
          public boolean frame(RecordFormat.Frame f, long position) {
            if (f.offset >= endOffset || out.size() >= maxRecords) {
              return false;
            }
            if (!seg.indexed && f.offset % RecordFormat.INDEX_INTERVAL == 0) {
              seg.addIndex(f.offset, position);
            }
            if (f.offset >= from) {
              out.add(new LogRecord(f.offset, f.time, f.key, f.data));
            }
            last[0] = f.offset + 1;
            last[1] = position + f.size;
            return true;
          }

          @Override
          public void corruption(LogCorruption c) {
            if (c.toOffset() > from) {
              log.error("event log read: {}", c);
              corruptions.add(c);
              corruptionsSeen.incrementAndGet();
            }
          }
        });
    long next = Math.max(end.expectedOffset, from);
    if (end.tailBytes > 0 && end.expectedOffset < endOffset && !isActive) {
      LogCorruption c = new LogCorruption(end.expectedOffset, endOffset, seg.fileName(), end.position,
          end.tailBytes, end.tailReason);
      log.error("event log read: {}", c);
      corruptions.add(c);
      corruptionsSeen.incrementAndGet();
      next = endOffset;
    }
    cursors.put(seg.baseOffset, new long[] {end.expectedOffset, end.position});
    return next;
  }

  @Override
  public boolean awaitReadable(long offset, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (readableMonitor) {
      while (readableOffset <= offset) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || closed) {
          return readableOffset > offset;
        }
        TimeUnit.NANOSECONDS.timedWait(readableMonitor, left);
      }
    }
    return true;
  }

  @Override
  public long offsetForTime(long appendTimeMillis) {
    segmentsLock.readLock().lock();
    try {
      long candidate = segments.firstKey();
      for (Segment s : segments.values()) {
        long first = firstAppendTime(s);
        if (first >= 0 && first <= appendTimeMillis) {
          candidate = s.baseOffset;
        } else if (first > appendTimeMillis) {
          break;
        }
      }
      return candidate;
    } finally {
      segmentsLock.readLock().unlock();
    }
  }

  private long firstAppendTime(Segment s) {
    if (s.firstAppendTime >= 0 || s.readableBytes <= RecordFormat.SEGMENT_HEADER_BYTES) {
      return s.firstAppendTime;
    }
    try {
      FileChannel ch = s.channel();
      ByteBuffer b = ByteBuffer.allocate(RecordFormat.OVERHEAD);
      ch.read(b, RecordFormat.SEGMENT_HEADER_BYTES);
      if (b.position() == RecordFormat.OVERHEAD) {
        s.firstAppendTime = b.getLong(RecordFormat.FRAME_HEADER_BYTES + 8);
      }
    } catch (IOException e) {
      log.debug("cannot read first record of {}: {}", s.fileName(), e.toString());
    }
    return s.firstAppendTime;
  }

  // ------------------------------------------------------------------ consumers

  @Override
  public long committed(String group) {
    checkGroup(group);
    Long cached = committedCache.get(group);
    long value;
    if (cached != null) {
      value = cached;
    } else {
      Path p = consumersDir.resolve(group + ".offset");
      value = -1;
      if (Files.exists(p)) {
        try {
          value = Long.parseLong(Files.readString(p).trim());
        } catch (IOException | NumberFormatException e) {
          log.error("event log: consumer offset file {} is unreadable ({}); the group restarts at the log start",
              p, e.toString());
        }
      }
    }
    long start = startOffset();
    if (value < start) {
      if (value >= 0) {
        log.warn("event log: group '{}' committed offset {} is before the log start {} (removed by retention); "
            + "{} records were never processed by it", group, value, start, start - value);
      }
      value = start;
    }
    return value;
  }

  @Override
  public void commit(String group, long nextOffset) {
    checkGroup(group);
    if (nextOffset < 0 || nextOffset > endOffset()) {
      throw new IllegalArgumentException("commit offset must be in [0, " + endOffset() + "], but was "
          + nextOffset);
    }
    Path p = consumersDir.resolve(group + ".offset");
    Path tmp = consumersDir.resolve(group + ".offset.tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(ByteBuffer.wrap((nextOffset + "\n").getBytes(StandardCharsets.US_ASCII)));
        ch.force(true);
      }
      try {
        Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
      }
      fsyncDirectory(consumersDir);
      committedCache.put(group, nextOffset);
    } catch (IOException e) {
      throw new EventLogException("cannot commit offset " + nextOffset + " for group '" + group + "': " + e, e);
    }
  }

  private static void checkGroup(String group) {
    if (group == null || !GROUP_NAME.matcher(group).matches()) {
      throw new IllegalArgumentException("consumer group must match [A-Za-z0-9._-]{1,100}, but was '" + group
          + "'");
    }
  }

  // ------------------------------------------------------------------ misc

  @Override
  public LogRecovery recovery() {
    return recovery;
  }

  @Override
  public EventLogStats stats() {
    long appendedNow;
    appendLock.lock();
    try {
      appendedNow = appended;
    } finally {
      appendLock.unlock();
    }
    segmentsLock.readLock().lock();
    try {
      long size = 0;
      for (Segment s : segments.values()) {
        size += s.readableBytes;
      }
      return new EventLogStats(appendedNow, bytesWritten.get(), fsyncs.get(), segments.size(), size,
          corruptionsSeen.get());
    } finally {
      segmentsLock.readLock().unlock();
    }
  }

  /** Segment files, oldest first (for tests and tools). */
  public List<Path> segmentFiles() {
    segmentsLock.readLock().lock();
    try {
      List<Path> out = new ArrayList<>();
      for (Segment s : segments.values()) {
        out.add(s.path);
      }
      return out;
    } finally {
      segmentsLock.readLock().unlock();
    }
  }

  /** Runs retention now (tests). */
  public void retainNow() {
    appendLock.lock();
    try {
      retain();
    } finally {
      appendLock.unlock();
    }
  }

  @Override
  public void close() {
    appendLock.lock();
    try {
      if (closing) {
        return;
      }
      closing = true;
      flushNeeded.signalAll();
      spaceFreed.signalAll();
    } finally {
      appendLock.unlock();
    }
    try {
      writer.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closed = true;
    synchronized (readableMonitor) {
      readableMonitor.notifyAll();
    }
    segmentsLock.writeLock().lock();
    try {
      for (Segment s : segments.values()) {
        s.close();
      }
    } finally {
      segmentsLock.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "SegmentedEventLog{" + config.directory() + ", fsync=" + config.fsync() + '}';
  }
}
