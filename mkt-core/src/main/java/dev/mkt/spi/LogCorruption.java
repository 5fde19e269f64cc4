package dev.mkt.spi;

/**
 * A stretch of a log that failed its checksum or framing.
 *
 * @param fromOffset the first offset lost in it (the one expected at that point)
 * @param toOffset the first offset after it that was read intact (exclusive end of the loss); equal to
 *     {@code fromOffset} if no whole record was lost (e.g. a torn tail)
 * @param file the segment file
 * @param position the byte position in the file where the bad data starts
 * @param length how many bytes are bad (skipped or truncated)
 * @param reason what was wrong, e.g. {@code crc mismatch: stored 0x1a2b3c4d, computed 0x5e6f7a8b}
 */
public record LogCorruption(long fromOffset, long toOffset, String file, long position, long length,
    String reason) {

  @Override
  public String toString() {
    return "corruption in " + file + " at byte " + position + " (" + length + " bytes, offsets [" + fromOffset
        + ", " + toOffset + ")): " + reason;
  }
}
