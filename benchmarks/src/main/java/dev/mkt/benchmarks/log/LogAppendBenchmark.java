package dev.mkt.benchmarks.log;

import dev.mkt.EventLogConfig;
import dev.mkt.FsyncPolicy;
import dev.mkt.spi.EventLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
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
 * Appending 180-byte records with a 36-byte key, durable within about 2 ms, before choosing to write the log
 * ourselves. Every impl group-commits: appends go to memory and a background step makes them durable.
 *
 * <ul>
 *   <li>{@code mkt}: the embedded segmented log, group commit (2 ms / 8192 records), fsync;</li>
 *   <li>{@code sqlite_wal}: xerial SQLite, WAL journal, {@code synchronous=FULL}; inserts into one open
 *       transaction, committed (and fsynced) by a background thread every 2 ms;</li>
 *   <li>{@code h2_mvstore}: H2 MVStore map offset → record, {@code commit()} + file sync every 2 ms in the
 *       background;</li>
 *   <li>{@code chronicle_queue}: Chronicle Queue appender; memory-mapped, it never fsyncs (durability
 *       comparable to our {@code never} policy, not to group commit) — the upper bound of the class.</li>
 * </ul>
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar LogAppendBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 4, time = 5)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED"})
public class LogAppendBenchmark {

  public enum Impl { mkt, sqlite_wal, h2_mvstore, chronicle_queue }

  @Param({"mkt", "sqlite_wal", "h2_mvstore", "chronicle_queue"})
  public Impl impl;

  static final byte[] RECORD = new byte[180];
  private final AtomicInteger threadIds = new AtomicInteger();
  private Path dir;
  private Appender appender;

  interface Appender extends AutoCloseable {
    void append(String key, byte[] record);

    @Override
    void close() throws Exception;
  }

  @State(Scope.Thread)
  public static class Keys {
    String prefix;
    long n;

    @Setup
    public void setup(LogAppendBenchmark b) {
      prefix = String.format("%08d-0000-7000-8000-", b.threadIds.incrementAndGet());
    }

    String next() {
      return prefix + String.format("%012d", n++);
    }
  }

  @Setup(Level.Iteration)
  public void setup() throws Exception {
    dir = Files.createTempDirectory("mkt-log-bench");
    switch (impl) {
      case mkt: appender = new Mkt(dir); break;
      case sqlite_wal: appender = new Sqlite(dir); break;
      case h2_mvstore: appender = new H2(dir); break;
      default: appender = new Chronicle(dir);
    }
  }

  @TearDown(Level.Iteration)
  public void tearDown() throws Exception {
    appender.close();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  @Threads(1)
  public void append_1thread(Keys keys) {
    appender.append(keys.next(), RECORD);
  }

  @Benchmark
  @Threads(2)
  public void append_2threads(Keys keys) {
    appender.append(keys.next(), RECORD);
  }

  static final class Mkt implements Appender {
    final EventLog log;

    Mkt(Path dir) {
      log = EventLog.embedded(EventLogConfig.custom(dir).fsync(FsyncPolicy.groupCommit()).build());
    }

    @Override
    public void append(String key, byte[] record) {
      log.append(key, 1L, record);
    }

    @Override
    public void close() {
      log.close();
    }
  }

  /** A background committer every 2 ms; inserts share the connection under a lock. */
  abstract static class GroupCommitter implements Appender {
    private final Thread committer;
    private volatile boolean running = true;

    GroupCommitter() {
      committer = new Thread(() -> {
        while (running) {
          try {
            Thread.sleep(2);
            synchronized (this) {
              commit();
            }
          } catch (InterruptedException e) {
            return;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      }, "committer");
      committer.setDaemon(true);
    }

    void start() {
      committer.start();
    }

    abstract void commit() throws Exception;

    abstract void closeStore() throws Exception;

    @Override
    public void close() throws Exception {
      // No interrupt: an interrupt during FileChannel.force closes the store's channel
      // (ClosedByInterruptException). The loop sees the flag within its 2 ms sleep.
      running = false;
      committer.join();
      synchronized (this) {
        commit();
        closeStore();
      }
    }
  }

  static final class Sqlite extends GroupCommitter {
    final Connection c;
    final PreparedStatement insert;
    final AtomicLong offset = new AtomicLong();

    Sqlite(Path dir) throws SQLException {
      c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("log.db"));
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("CREATE TABLE log (off INTEGER PRIMARY KEY, k TEXT NOT NULL, t INTEGER, data BLOB)");
      }
      c.setAutoCommit(false);
      insert = c.prepareStatement("INSERT INTO log VALUES (?, ?, ?, ?)");
      start();
    }

    @Override
    public synchronized void append(String key, byte[] record) {
      try {
        insert.setLong(1, offset.getAndIncrement());
        insert.setString(2, key);
        insert.setLong(3, 1L);
        insert.setBytes(4, record);
        insert.executeUpdate();
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    void commit() throws SQLException {
      c.commit();
    }

    @Override
    void closeStore() throws SQLException {
      insert.close();
      c.close();
    }
  }

  static final class H2 extends GroupCommitter {
    final MVStore store;
    final MVMap<Long, byte[]> map;
    final AtomicLong offset = new AtomicLong();

    H2(Path dir) throws IOException {
      store = new MVStore.Builder().fileName(dir.resolve("log.mv").toString()).autoCommitDisabled().open();
      map = store.openMap("log");
      start();
    }

    @Override
    public void append(String key, byte[] record) {
      byte[] v = new byte[key.length() + record.length];
      System.arraycopy(record, 0, v, key.length(), record.length);
      map.put(offset.getAndIncrement(), v);
    }

    @Override
    void commit() {
      store.commit();
      store.sync();
    }

    @Override
    void closeStore() {
      store.close();
    }
  }

  static final class Chronicle implements Appender {
    final ChronicleQueue queue;
    final ThreadLocal<ExcerptAppender> appenders;

    Chronicle(Path dir) {
      queue = SingleChronicleQueueBuilder.single(dir.toFile()).build();
      appenders = ThreadLocal.withInitial(queue::createAppender);
    }

    @Override
    public void append(String key, byte[] record) {
      try (var dc = appenders.get().writingDocument()) {
        dc.wire().bytes().writeUtf8(key).writeLong(1L).write(record);
      }
    }

    @Override
    public void close() {
      queue.close();
    }
  }
}
