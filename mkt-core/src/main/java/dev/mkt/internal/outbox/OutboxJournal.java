package dev.mkt.internal.outbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded outbox's file: a header and a sequence of CRC-framed records, each the full JSON of an entry
 * after a change. The last record of a key wins. Not thread-safe: {@link EmbeddedOutbox} serializes access.
 *
 * <pre>
 * file   := magic:u64 ("MKTOBX01") record*
 * record := sync:u32 (0x6D6B4F42 "mkOB") length:i32 crc32c:u32 body      12 + length bytes
 * </pre>
 *
 * <p>Recovery reads every valid record. A torn tail (a crash mid-write) is truncated; a corrupted record in
 * the middle is skipped up to the next sync word whose record checks out, and reported.
 */
final class OutboxJournal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OutboxJournal.class);

  static final long MAGIC = 0x4D4B544F42583031L; // "MKTOBX01"
  static final int HEADER_BYTES = 8;
  static final int SYNC = 0x6D6B4F42;
  static final int FRAME_HEADER = 12;
  static final int MAX_BODY = 16 * 1024 * 1024;
  static final String FILE = "outbox.journal";

  private final Path file;
  private FileChannel channel;
  private final CRC32C crc = new CRC32C();
  private long records;
  private long size;
  /** The size known to be on disk (forced). */
  private long syncedSize;
  /** Bumped when {@link #rewrite} replaces the file (and its channel). */
  private long generation;

  /** What recovery found. */
  static final class Recovery {
    long records;
    long corruptedBytes;
    long truncatedBytes;
  }

  private OutboxJournal(Path file, FileChannel channel, long size) {
    this.file = file;
    this.channel = channel;
    this.size = size;
    this.syncedSize = size;
  }

  /** Opens (creating) the journal and passes every valid record body to {@code sink}, in order. */
  static OutboxJournal open(Path directory, Consumer<byte[]> sink, Recovery recovery) throws IOException {
    Path file = directory.resolve(FILE);
    Files.deleteIfExists(directory.resolve(FILE + ".tmp"));
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    try {
      long fileSize = ch.size();
      if (fileSize < HEADER_BYTES) {
        ch.truncate(0);
        ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).putLong(MAGIC).flip();
        while (h.hasRemaining()) {
          ch.write(h, h.position());
        }
        ch.force(true);
        OutboxJournal j = new OutboxJournal(file, ch, HEADER_BYTES);
        ch.position(HEADER_BYTES);
        return j;
      }
      ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES);
      readFully(ch, h, 0);
      if (h.getLong(0) != MAGIC) {
        throw new IOException(file + " is not an mkt outbox journal (bad magic)");
      }
      long end = replay(ch, fileSize, sink, recovery);
      if (end < fileSize) {
        recovery.truncatedBytes = fileSize - end;
        ch.truncate(end);
        ch.force(true);
      }
      OutboxJournal j = new OutboxJournal(file, ch, end);
      j.records = recovery.records;
      ch.position(end);
      return j;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Reads records from the header on; returns the end of the last valid record. */
  private static long replay(FileChannel ch, long fileSize, Consumer<byte[]> sink, Recovery r) throws IOException {
    CRC32C crc = new CRC32C();
    long pos = HEADER_BYTES;
    long lastValidEnd = HEADER_BYTES;
    ByteBuffer head = ByteBuffer.allocate(FRAME_HEADER);
    while (pos + FRAME_HEADER <= fileSize) {
      byte[] body = readFrame(ch, pos, fileSize, head, crc);
      if (body != null) {
        sink.accept(body);
        r.records++;
        pos += FRAME_HEADER + body.length;
        lastValidEnd = pos;
        continue;
      }
      // Not a valid record at pos: look for the next one.
      long next = findNextFrame(ch, pos + 1, fileSize, head, crc);
      if (next < 0) {
        break; // torn or corrupted tail: truncated by the caller
      }
      r.corruptedBytes += next - pos;
      log.error("outbox journal: skipped {} corrupted bytes at position {}", next - pos, pos);
      pos = next;
    }
    return lastValidEnd;
  }

  private static byte[] readFrame(FileChannel ch, long pos, long fileSize, ByteBuffer head, CRC32C crc)
      throws IOException {
    head.clear();
    readFully(ch, head, pos);
    if (head.getInt(0) != SYNC) {
      return null;
    }
    int len = head.getInt(4);
    if (len <= 0 || len > MAX_BODY || pos + FRAME_HEADER + len > fileSize) {
      return null;
    }
    ByteBuffer body = ByteBuffer.allocate(len);
    readFully(ch, body, pos + FRAME_HEADER);
    crc.reset();
    crc.update(body.array(), 0, len);
    if ((int) crc.getValue() != head.getInt(8)) {
      return null;
    }
    return body.array();
  }

  private static long findNextFrame(FileChannel ch, long from, long fileSize, ByteBuffer head, CRC32C crc)
      throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    long base = from;
    while (base + FRAME_HEADER <= fileSize) {
      buf.clear();
      int n = ch.read(buf, base);
      if (n <= 0) {
        return -1;
      }
      for (int i = 0; i + 4 <= n; i++) {
        if (buf.getInt(i) == SYNC && readFrame(ch, base + i, fileSize, head, crc) != null) {
          return base + i;
        }
      }
      base += Math.max(1, n - 3);
    }
    return -1;
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      int n = ch.read(b, pos + b.position());
      if (n < 0) {
        throw new IOException("unexpected end of outbox journal at " + (pos + b.position()));
      }
    }
  }

  /** Appends records (written to the OS at once: a process crash loses none; {@link #force} for power loss). */
  void append(List<byte[]> bodies) throws IOException {
    int total = 0;
    for (byte[] b : bodies) {
      total += FRAME_HEADER + b.length;
    }
    ByteBuffer buf = ByteBuffer.allocate(total);
    for (byte[] b : bodies) {
      if (b.length > MAX_BODY) {
        throw new IOException("outbox entry of " + b.length + " bytes exceeds the limit of " + MAX_BODY);
      }
      crc.reset();
      crc.update(b, 0, b.length);
      buf.putInt(SYNC).putInt(b.length).putInt((int) crc.getValue()).put(b);
    }
    buf.flip();
    long at = size;
    try {
      while (buf.hasRemaining()) {
        channel.write(buf, at + buf.position());
      }
    } catch (IOException e) {
      // Do not leave half a batch behind: cut back to where it started.
      try {
        channel.truncate(at);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    size += total;
    records += bodies.size();
  }

  /** Forces what is written. Callers that must not hold their lock during an fsync use {@link #syncPoint}. */
  void force() throws IOException {
    if (syncedSize < size) {
      long target = size;
      channel.force(false);
      syncedSize = target;
    }
  }

  /**
   * What an fsync outside the owner's lock needs: the channel, the size it covers and the file's generation;
   * {@code null} if everything written is already on disk. Call under the owner's lock, then
   * {@code point.channel().force(false)} without it, then {@link #synced} under the lock again.
   */
  SyncPoint syncPoint() {
    return syncedSize < size ? new SyncPoint(channel, size, generation) : null;
  }

  /** Records that a force of {@code point} completed (ignored if the file was rewritten meanwhile). */
  void synced(SyncPoint point) {
    if (point.generation() == generation && point.size() > syncedSize) {
      syncedSize = point.size();
    }
  }

  /** True if the file was rewritten since {@code point} was taken (the rewrite forced everything). */
  boolean rewrittenSince(SyncPoint point) {
    return point.generation() != generation;
  }

  record SyncPoint(FileChannel channel, long size, long generation) {}

  long records() {
    return records;
  }

  long size() {
    return size;
  }

  /** Replaces the journal with exactly these records (compaction), atomically. */
  void rewrite(Collection<byte[]> bodies) throws IOException {
    Path tmp = file.resolveSibling(FILE + ".tmp");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).putLong(MAGIC).flip();
      while (h.hasRemaining()) {
        out.write(h);
      }
      List<byte[]> chunk = new ArrayList<>();
      int chunkBytes = 0;
      long written = HEADER_BYTES;
      for (byte[] b : bodies) {
        chunk.add(b);
        chunkBytes += FRAME_HEADER + b.length;
        if (chunkBytes >= 1 << 20) {
          written += writeFrames(out, chunk, chunkBytes);
          chunk.clear();
          chunkBytes = 0;
        }
      }
      if (!chunk.isEmpty()) {
        written += writeFrames(out, chunk, chunkBytes);
      }
      out.force(true);
      channel.close();
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      forceDirectory(file.getParent());
      channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      size = written;
      syncedSize = written;
      records = bodies.size();
      generation++;
    } catch (IOException e) {
      if (!channel.isOpen()) {
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      }
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  private int writeFrames(FileChannel out, List<byte[]> bodies, int total) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(total);
    for (byte[] b : bodies) {
      crc.reset();
      crc.update(b, 0, b.length);
      buf.putInt(SYNC).putInt(b.length).putInt((int) crc.getValue()).put(b);
    }
    buf.flip();
    while (buf.hasRemaining()) {
      out.write(buf);
    }
    return total;
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Some file systems cannot open a directory; the rename is still atomic.
      log.debug("cannot fsync directory {}: {}", dir, e.toString());
    }
  }

  @Override
  public void close() throws IOException {
    try {
      force();
    } finally {
      channel.close();
    }
  }
}
