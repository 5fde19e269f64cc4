package dev.mkt.internal.log;

import dev.mkt.spi.LogCorruption;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Walks the frames of one segment file from a position, verifying each, and resynchronising on the next
 * sync word after a corrupted stretch. Used by recovery and by reads.
 */
final class SegmentScanner {
  private static final int CHUNK = 1 << 20;

  /** Receives what the scan finds. */
  interface Visitor {
    /** A valid frame; return false to stop before it (it is not consumed). */
    boolean frame(RecordFormat.Frame f, long position);

    void corruption(LogCorruption c);
  }

  /** Where a scan stopped. */
  static final class End {
    long position;
    long expectedOffset;
    /** Bytes after {@link #position} that hold no whole valid frame (a torn or corrupt tail). */
    long tailBytes;
    String tailReason;
  }

  private final CRC32C crc = new CRC32C();
  private ByteBuffer buf = ByteBuffer.allocate(CHUNK);
  private FileChannel ch;
  private long end;
  private long bufStart;
  private int bufLen;

  /**
   * Scans {@code seg} from {@code pos}, where offset {@code expected} should start, up to byte {@code endBytes}.
   */
  End scan(Segment seg, FileChannel channel, long pos, long expected, long endBytes, boolean materialize,
      Visitor v) throws IOException {
    this.ch = channel;
    this.end = endBytes;
    this.bufLen = 0;
    this.bufStart = 0;
    End e = new End();
    while (true) {
      RecordFormat.Frame f = frameAt(pos, materialize);
      if (f == null) {
        e.tailBytes = endBytes - pos;
        e.tailReason = e.tailBytes == 0 ? null : "incomplete record at end of segment";
        break;
      }
      if (f.error == null && f.offset == expected) {
        if (!v.frame(f, pos)) {
          break;
        }
        pos += f.size;
        expected++;
        continue;
      }
      String reason = f.error != null ? f.error
          : "offset " + f.offset + " where " + expected + " was expected";
      long q = resync(pos + 1, expected);
      if (q < 0) {
        e.tailBytes = endBytes - pos;
        e.tailReason = reason;
        break;
      }
      RecordFormat.Frame next = frameAt(q, false);
      v.corruption(new LogCorruption(expected, next.offset, seg.fileName(), pos, q - pos, reason));
      pos = q;
      expected = next.offset;
    }
    e.position = pos;
    e.expectedOffset = expected;
    return e;
  }

  /** The position of the next valid frame with offset >= expected, at or after {@code from}; -1 if none. */
  private long resync(long from, long expected) throws IOException {
    for (long q = from; q + RecordFormat.FRAME_HEADER_BYTES <= end; q++) {
      int idx = ensure(q, 4);
      if (idx < 0) {
        return -1;
      }
      if (buf.getInt(idx) != RecordFormat.SYNC) {
        continue;
      }
      RecordFormat.Frame f = frameAt(q, false);
      if (f != null && f.error == null && f.offset >= expected) {
        return q;
      }
    }
    return -1;
  }

  private RecordFormat.Frame frameAt(long pos, boolean materialize) throws IOException {
    int idx = ensure(pos, RecordFormat.FRAME_HEADER_BYTES);
    if (idx < 0) {
      return null;
    }
    int len = buf.getInt(idx + 4);
    if (buf.getInt(idx) == RecordFormat.SYNC && len >= RecordFormat.BODY_FIXED_BYTES && len <= (1 << 30)) {
      idx = ensure(pos, RecordFormat.FRAME_HEADER_BYTES + len);
      if (idx < 0) {
        return null;
      }
    }
    RecordFormat.Frame f = RecordFormat.parse(buf, idx, bufLen, crc, materialize);
    if (f == null) {
      // Cannot happen once the whole frame is buffered; treat as a bad frame.
      f = new RecordFormat.Frame();
      f.error = "truncated frame";
    }
    return f;
  }

  /** Makes bytes [pos, pos+len) of the file available; returns their index in {@link #buf}, or -1 past the end. */
  private int ensure(long pos, int len) throws IOException {
    if (pos + len > end) {
      return -1;
    }
    if (pos >= bufStart && pos + len <= bufStart + bufLen) {
      return (int) (pos - bufStart);
    }
    int cap = Math.max(len, CHUNK);
    if (buf.capacity() < cap) {
      buf = ByteBuffer.allocate(cap);
    }
    int toRead = (int) Math.min(buf.capacity(), end - pos);
    buf.clear().limit(toRead);
    long p = pos;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, p);
      if (n < 0) {
        throw new EOFException("segment shorter than expected at byte " + p);
      }
      p += n;
    }
    bufStart = pos;
    bufLen = toRead;
    return 0;
  }
}
