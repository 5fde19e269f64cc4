package dev.mkt.internal.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The on-disk format of the embedded log.
 *
 * <pre>
 * segment  := header record*
 * header   := magic:u64 ("MKTLOG01") baseOffset:i64                       16 bytes
 * record   := sync:u32 (0x6D6B7452 "mktR") length:i32 crc32c:u32 body     12 + length bytes
 * body     := offset:i64 appendTime:i64 keyLength:u16 key:utf8 data
 * </pre>
 *
 * <p>{@code crc32c} covers the body. The sync word lets recovery find the next record after a corrupted
 * stretch; the offset in the body tells how many records the stretch held. Big-endian throughout.
 */
final class RecordFormat {
  static final long SEGMENT_MAGIC = 0x4D4B544C4F473031L;
  static final int SEGMENT_HEADER_BYTES = 16;
  static final int SYNC = 0x6D6B7452;
  static final int FRAME_HEADER_BYTES = 12;
  static final int BODY_FIXED_BYTES = 18;
  static final int OVERHEAD = FRAME_HEADER_BYTES + BODY_FIXED_BYTES;
  static final int MAX_KEY_BYTES = 0xFFFF;
  /** An index entry every this many records. */
  static final int INDEX_INTERVAL = 1024;

  private RecordFormat() {}

  static int frameSize(int keyLen, int dataLen) {
    return OVERHEAD + keyLen + dataLen;
  }

  /** Writes a frame at the buffer's position; {@code crc} and {@code scratch} are the caller's, reused. */
  static void write(ByteBuffer buf, long offset, long time, byte[] key, byte[] data, CRC32C crc,
      ByteBuffer scratch) {
    int bodyLen = BODY_FIXED_BYTES + key.length + data.length;
    scratch.clear();
    scratch.putLong(offset).putLong(time).putShort((short) key.length).flip();
    crc.reset();
    crc.update(scratch);
    crc.update(key, 0, key.length);
    crc.update(data, 0, data.length);
    scratch.flip();
    buf.putInt(SYNC).putInt(bodyLen).putInt((int) crc.getValue()).put(scratch).put(key).put(data);
  }

  /** A parsed frame, or why it is not one. */
  static final class Frame {
    long offset;
    long time;
    String key;
    byte[] data;
    int size;
    String error;
  }

  /**
   * Parses a frame at {@code pos} of {@code buf} (absolute, not moving the buffer), reading no further than
   * {@code limit}.
   *
   * @return {@code null} if the buffer ends before the frame does (read more, or a torn tail); a frame with
   *     {@code error} set if it is not a valid record
   */
  static Frame parse(ByteBuffer buf, int pos, int limit, CRC32C crc, boolean materialize) {
    Frame f = new Frame();
    if (limit - pos < FRAME_HEADER_BYTES) {
      return null;
    }
    int sync = buf.getInt(pos);
    if (sync != SYNC) {
      f.error = String.format("bad sync word 0x%08x", sync);
      return f;
    }
    int len = buf.getInt(pos + 4);
    if (len < BODY_FIXED_BYTES || len > (1 << 30)) {
      f.error = "bad record length " + len;
      return f;
    }
    if (limit - pos - FRAME_HEADER_BYTES < len) {
      f.size = FRAME_HEADER_BYTES + len;
      return null;
    }
    int stored = buf.getInt(pos + 8);
    crc.reset();
    ByteBuffer body = buf.duplicate();
    body.limit(pos + FRAME_HEADER_BYTES + len).position(pos + FRAME_HEADER_BYTES);
    crc.update(body);
    int computed = (int) crc.getValue();
    if (computed != stored) {
      f.error = String.format("crc mismatch: stored 0x%08x, computed 0x%08x", stored, computed);
      return f;
    }
    int b = pos + FRAME_HEADER_BYTES;
    f.offset = buf.getLong(b);
    f.time = buf.getLong(b + 8);
    int keyLen = buf.getShort(b + 16) & 0xFFFF;
    if (BODY_FIXED_BYTES + keyLen > len) {
      f.error = "bad key length " + keyLen;
      return f;
    }
    f.size = FRAME_HEADER_BYTES + len;
    if (materialize) {
      byte[] k = new byte[keyLen];
      buf.get(b + BODY_FIXED_BYTES, k);
      f.key = new String(k, StandardCharsets.UTF_8);
      f.data = new byte[len - BODY_FIXED_BYTES - keyLen];
      buf.get(b + BODY_FIXED_BYTES + keyLen, f.data);
    }
    return f;
  }
}
