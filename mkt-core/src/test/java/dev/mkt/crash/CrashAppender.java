package dev.mkt.crash;

import dev.mkt.EventTypes;
import dev.mkt.Marketing;
import dev.mkt.MarketingEvent;
import dev.mkt.TrackResult;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The child process of {@link CrashRecoveryTest}: tracks events in a loop until it is killed, printing
 * {@code D <id> .} for every event whose durability future completed. Every 7th step tracks a batch, every
 * 11th re-tracks an old id (which must be a duplicate).
 */
public final class CrashAppender {
  private CrashAppender() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int next = Integer.parseInt(args[1]);
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false);
    Marketing mkt = Marketing.builder().dataDirectory(dir).startReactor(false).build();
    out.println("READY");
    out.flush();
    for (long step = 0; ; step++) {
      if (step % 7 == 0) {
        List<MarketingEvent> batch = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
          batch.add(event(next++));
        }
        for (TrackResult r : mkt.trackAll(batch)) {
          report(out, r);
        }
      } else if (step % 11 == 0 && next > 10) {
        TrackResult r = mkt.track(event(next - 10));
        if (!r.isDuplicate()) {
          out.println("UNEXPECTED " + r);
          out.flush();
        }
      } else {
        report(out, mkt.track(event(next++)));
      }
      LockSupport.parkNanos(40_000);
    }
  }

  private static MarketingEvent event(int i) {
    return MarketingEvent.builder(EventTypes.FEATURE_USAGE, "user-" + (i % 97)).id("e-" + i)
        .put("feature_name", "f" + (i % 5)).put("n", i).build();
  }

  private static void report(PrintStream out, TrackResult r) {
    if (!r.isAccepted()) {
      out.println("UNEXPECTED " + r);
      out.flush();
      return;
    }
    String id = r.eventId();
    r.durable().thenRun(() -> {
      synchronized (out) {
        out.println("D " + id + " .");
        out.flush();
      }
    });
  }
}
