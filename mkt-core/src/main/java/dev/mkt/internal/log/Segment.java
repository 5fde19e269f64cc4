package dev.mkt.internal.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * One segment file: a 16-byte header ({@link RecordFormat#SEGMENT_MAGIC}, base offset) and framed records.
 * Holds a sparse index (offset → byte position) built as records are scanned or written.
 */
final class Segment {
  final long baseOffset;
  final Path path;
  private FileChannel channel;
  /** Bytes of the file a reader may read (published after write, or after fsync for durable policies). */
  volatile long readableBytes;
  /** Bytes written to the file by the writer (writer thread only). */
  long writtenBytes;
  /** Append time of the first record, or -1 if unknown/empty. */
  volatile long firstAppendTime = -1;

  private long[] idxOffsets = new long[16];
  private long[] idxPositions = new long[16];
  private int idxSize;
  /** Whether the index covers the whole readable part of the file. */
  volatile boolean indexed;

  Segment(long baseOffset, Path path) {
    this.baseOffset = baseOffset;
    this.path = path;
  }

  /** The file, opened for reading and writing on first use and kept open. */
  synchronized FileChannel channel() throws IOException {
    if (channel == null || !channel.isOpen()) {
      channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }
    return channel;
  }

  synchronized void addIndex(long offset, long position) {
    if (idxSize > 0 && idxOffsets[idxSize - 1] >= offset) {
      return;
    }
    if (idxSize == idxOffsets.length) {
      idxOffsets = Arrays.copyOf(idxOffsets, idxSize * 2);
      idxPositions = Arrays.copyOf(idxPositions, idxSize * 2);
    }
    idxOffsets[idxSize] = offset;
    idxPositions[idxSize] = position;
    idxSize++;
  }

  /** The greatest indexed (offset, position) at or before {@code offset}, or the segment start. */
  synchronized long[] floor(long offset) {
    int i = Arrays.binarySearch(idxOffsets, 0, idxSize, offset);
    if (i < 0) {
      i = -i - 2;
    }
    if (i < 0) {
      return new long[] {baseOffset, RecordFormat.SEGMENT_HEADER_BYTES};
    }
    return new long[] {idxOffsets[i], idxPositions[i]};
  }

  synchronized void close() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing a read channel cannot lose data
      }
      channel = null;
    }
  }

  String fileName() {
    return path.getFileName().toString();
  }

  @Override
  public String toString() {
    return fileName() + "(base=" + baseOffset + ", bytes=" + readableBytes + ")";
  }
}
