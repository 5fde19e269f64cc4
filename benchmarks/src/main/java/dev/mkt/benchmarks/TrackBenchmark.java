package dev.mkt.benchmarks;

import com.segment.analytics.Analytics;
import com.segment.analytics.messages.TrackMessage;
import dev.mkt.EventLogConfig;
import dev.mkt.EventTypes;
import dev.mkt.FsyncPolicy;
import dev.mkt.Marketing;
import dev.mkt.MarketingEvent;
import dev.mkt.TrackResult;
import dev.mkt.internal.EventCodec;
import dev.mkt.spi.DedupStore;
import java.time.Clock;
import java.time.Duration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of {@code Marketing.trackMarketingEvent}: validate, dedup, append to the durable log.
 *
 * <ul>
 *   <li>{@code mkt_group_commit}: the default, fsync at most 2 ms after a record is accepted;</li>
 *   <li>{@code mkt_never}: the same, never fsync;</li>
 *   <li>{@code limit}: what the job minimally costs — {@code ConcurrentHashMap.putIfAbsent} on the id, Jackson
 *       bytes of the event, appended under a lock to a buffer that a thread writes and forces every 2 ms;</li>
 *   <li>{@code segment}: Segment's analytics-java 3.5.1 {@code Analytics.enqueue} (its own in-memory queue, no
 *       disk), pointed at an unreachable local endpoint.</li>
 * </ul>
 * Each operation builds a new event with a unique id (same cost for every impl). The reactor is not running:
 * this measures ingest. One engine per trial: the warm-up iterations absorb the growth of the dedup tables
 * (mkt's Caffeine store, limit's map), so the measurement is the steady state.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar TrackBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 5, time = 4)
@Fork(value = 1, jvmArgs = {"-Xms6g", "-Xmx6g"})
public class TrackBenchmark {

  public enum Impl { mkt_group_commit, mkt_never, limit, segment }

  @Param({"mkt_group_commit", "mkt_never", "limit", "segment"})
  public Impl impl;

  private Path dir;
  static final long DEDUP_KEYS = 16_000_000;
  private Marketing mkt;
  private DedupStore dedup;
  private Limit limit;
  private Analytics segment;
  private final AtomicInteger threadIds = new AtomicInteger();

  /** Per-thread id source. */
  @State(Scope.Thread)
  public static class Ids {
    String prefix;
    long next;

    @Setup
    public void setup(TrackBenchmark b) {
      prefix = "t" + b.threadIds.incrementAndGet() + "-" + System.nanoTime() + "-";
    }
  }

  @Setup(Level.Trial)
  public void setup() throws IOException {
    dir = Files.createTempDirectory("mkt-track-bench");
    switch (impl) {
      case mkt_group_commit:
      case mkt_never:
        FsyncPolicy fsync = impl == Impl.mkt_never ? FsyncPolicy.never() : FsyncPolicy.groupCommit();
        // Dedup sized for the rate (an iteration tracks a few million events), as a deployment at this rate
        // must be: a full store evicts on every insert and is measured separately in docs/benchmarks.md.
        dedup = DedupStore.inMemory(DEDUP_KEYS, Duration.ofHours(1), Clock.systemUTC());
        mkt = Marketing.builder().dataDirectory(dir).startReactor(false).dedupStore(dedup)
            .eventLogConfig(EventLogConfig.custom(dir.resolve("log")).fsync(fsync).build()).build();
        break;
      case limit:
        limit = new Limit(dir.resolve("limit.log"));
        break;
      default:
        segment = Analytics.builder("bench-write-key").endpoint("http://127.0.0.1:9").flushQueueSize(250)
            .flushInterval(10, TimeUnit.SECONDS).retries(1).build();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (mkt != null) {
      mkt.close();
      mkt = null;
      dedup.close();
      dedup = null;
    }
    if (limit != null) {
      limit.close();
      limit = null;
    }
    if (segment != null) {
      segment.shutdown();
      segment = null;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static MarketingEvent event(Ids ids) {
    return MarketingEvent.builder(EventTypes.FEATURE_USAGE, "user-" + (ids.next % 10_000))
        .id(ids.prefix + ids.next++).sessionId("s-1").put("feature_name", "export").build();
  }

  private Object track(Ids ids) {
    MarketingEvent e = event(ids);
    switch (impl) {
      case mkt_group_commit:
      case mkt_never:
        TrackResult r = mkt.trackMarketingEvent(e);
        if (!r.isAccepted()) {
          throw new IllegalStateException(r.toString());
        }
        return r;
      case limit:
        return limit.track(e);
      default:
        segment.enqueue(TrackMessage.builder(e.type()).userId(e.userId()).messageId(e.id())
            .properties(e.payload()));
        return e;
    }
  }

  @Benchmark
  @Threads(1)
  public Object track_1thread(Ids ids) {
    return track(ids);
  }

  @Benchmark
  @Threads(2)
  public Object track_2threads(Ids ids) {
    return track(ids);
  }

  /** The naive lower bound of the work: a map insert, Jackson bytes, a buffered append forced every 2 ms. */
  static final class Limit {
    private final ConcurrentHashMap<String, Boolean> seen = new ConcurrentHashMap<>();
    private final FileChannel ch;
    private ByteBuffer active = ByteBuffer.allocateDirect(8 << 20);
    private ByteBuffer spare = ByteBuffer.allocateDirect(8 << 20);
    private final Thread flusher;
    private volatile boolean running = true;

    Limit(Path file) throws IOException {
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      flusher = new Thread(this::flushLoop, "limit-flusher");
      flusher.setDaemon(true);
      flusher.start();
    }

    Object track(MarketingEvent e) {
      if (seen.putIfAbsent(e.id(), Boolean.TRUE) != null) {
        return null;
      }
      byte[] bytes = EventCodec.shared().toJsonBytes(e);
      synchronized (this) {
        while (active.remaining() < bytes.length + 4) {
          try {
            wait(1);
          } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return null;
          }
        }
        active.putInt(bytes.length).put(bytes);
      }
      return bytes;
    }

    private void flushLoop() {
      while (running) {
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        ByteBuffer toWrite;
        synchronized (this) {
          toWrite = active;
          active = spare;
          spare = null;
          notifyAll();
        }
        toWrite.flip();
        try {
          while (toWrite.hasRemaining()) {
            ch.write(toWrite);
          }
          ch.force(false);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        toWrite.clear();
        synchronized (this) {
          spare = toWrite;
        }
      }
    }

    void close() throws IOException {
      running = false;
      try {
        flusher.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ch.close();
      seen.clear();
    }

    Map<String, Boolean> seen() {
      return seen;
    }
  }
}
