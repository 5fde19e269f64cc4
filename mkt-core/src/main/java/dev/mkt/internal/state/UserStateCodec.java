package dev.mkt.internal.state;

import dev.mkt.spi.UserRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Encodes the activity part of a {@link UserState} (everything but the contact) as version-tagged bytes:
 * seen times, timestamp rings, value histories and fire-once markers.
 */
public final class UserStateCodec {
  private static final int VERSION = 1;
  private static final byte ABSENT = 0;
  private static final byte LONG = 1;
  private static final byte DOUBLE = 2;
  private static final byte STRING = 3;
  private static final byte TRUE = 4;
  private static final byte FALSE = 5;

  private UserStateCodec() {}

  public static UserRecord toRecord(UserState s) {
    return new UserRecord(s.userId, s.contact, encodeActivity(s));
  }

  public static UserState fromRecord(UserRecord r) {
    UserState s = new UserState(r.userId());
    s.contact = r.contact();
    decodeActivity(s, r.activity());
    return s;
  }

  static byte[] encodeActivity(UserState s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeLong(s.firstSeen);
      out.writeLong(s.lastSeen);
      out.writeLong(s.previousSeen);
      out.writeShort(s.rings.length);
      for (int i = 0; i < s.rings.length; i++) {
        TimestampRing r = s.rings[i];
        out.writeUTF(s.ringTypes[i]);
        out.writeLong(r.lastProcessed);
        out.writeLong(r.previousProcessed);
        out.writeShort(r.size);
        for (int k = 0; k < r.size; k++) {
          out.writeLong(r.times[k]);
        }
      }
      out.writeShort(s.histories.length);
      for (int i = 0; i < s.histories.length; i++) {
        ValueHistory h = s.histories[i];
        out.writeUTF(s.historyTypes[i]);
        out.writeUTF(s.historyFields[i]);
        out.writeShort(h.size);
        for (int k = 0; k < h.size; k++) {
          writeValue(out, h.values[k]);
        }
      }
      out.writeShort(s.markers.length);
      for (String m : s.markers) {
        out.writeUTF(m);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void writeValue(DataOutputStream out, Object v) throws IOException {
    if (v == ValueHistory.ABSENT || v == null) {
      out.writeByte(ABSENT);
    } else if (v instanceof Long) {
      out.writeByte(LONG);
      out.writeLong((Long) v);
    } else if (v instanceof Double) {
      out.writeByte(DOUBLE);
      out.writeDouble((Double) v);
    } else if (v instanceof Boolean) {
      out.writeByte((Boolean) v ? TRUE : FALSE);
    } else {
      String s = v.toString();
      out.writeByte(STRING);
      out.writeUTF(s.length() > 1000 ? s.substring(0, 1000) : s);
    }
  }

  static void decodeActivity(UserState s, byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IOException("unknown activity encoding version " + version);
      }
      s.firstSeen = in.readLong();
      s.lastSeen = in.readLong();
      s.previousSeen = in.readLong();
      int rings = in.readUnsignedShort();
      s.ringTypes = new String[rings];
      s.rings = new TimestampRing[rings];
      for (int i = 0; i < rings; i++) {
        s.ringTypes[i] = in.readUTF().intern();
        long last = in.readLong();
        long prev = in.readLong();
        int size = in.readUnsignedShort();
        long[] times = new long[Math.max(size, 1)];
        for (int k = 0; k < size; k++) {
          times[k] = in.readLong();
        }
        s.rings[i] = new TimestampRing(times, size, last, prev);
      }
      int histories = in.readUnsignedShort();
      s.historyTypes = new String[histories];
      s.historyFields = new String[histories];
      s.histories = new ValueHistory[histories];
      for (int i = 0; i < histories; i++) {
        s.historyTypes[i] = in.readUTF().intern();
        s.historyFields[i] = in.readUTF().intern();
        int size = in.readUnsignedShort();
        Object[] values = new Object[Math.max(size, 1)];
        for (int k = 0; k < size; k++) {
          values[k] = readValue(in);
        }
        s.histories[i] = new ValueHistory(values, size);
      }
      int markers = in.readUnsignedShort();
      s.markers = new String[markers];
      for (int i = 0; i < markers; i++) {
        s.markers[i] = in.readUTF().intern();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("undecodable activity of user " + s.userId + ": " + e.getMessage(), e);
    }
  }

  private static Object readValue(DataInputStream in) throws IOException {
    byte tag = in.readByte();
    switch (tag) {
      case ABSENT: return ValueHistory.ABSENT;
      case LONG: return in.readLong();
      case DOUBLE: return in.readDouble();
      case TRUE: return Boolean.TRUE;
      case FALSE: return Boolean.FALSE;
      case STRING: return in.readUTF();
      default: throw new IOException("unknown value tag " + tag);
    }
  }
}
