package dev.mkt.rules.internal;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a rules directory (and its subdirectories) and calls back, on its own daemon thread, once the directory
 * has been quiet for the debounce time after a change to a rule source. Editors that save through a temporary
 * file and a rename produce several events; they become one reload.
 */
public final class DirectoryWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DirectoryWatcher.class);

  private final Path dir;
  private final long debounceNanos;
  private final Runnable onChange;
  private final WatchService service;
  private final Thread thread;
  private volatile boolean running = true;

  public DirectoryWatcher(Path dir, Duration debounce, Runnable onChange) {
    this.dir = dir;
    this.debounceNanos = debounce.toNanos();
    this.onChange = onChange;
    try {
      this.service = FileSystems.getDefault().newWatchService();
      registerAll(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot watch rules directory " + dir, e);
    }
    this.thread = new Thread(this::loop, "mkt-rules-watcher");
    this.thread.setDaemon(true);
  }

  private void registerAll(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s.filter(Files::isDirectory)::iterator) {
        p.register(service, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
      }
    }
  }

  public void start() {
    thread.start();
  }

  private void loop() {
    while (running) {
      try {
        WatchKey key = service.take();
        boolean relevant = drain(key);
        // Debounce: keep draining until quiet.
        long deadline = System.nanoTime() + debounceNanos;
        while (running) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          WatchKey more = service.poll(left, TimeUnit.NANOSECONDS);
          if (more != null) {
            relevant |= drain(more);
            deadline = System.nanoTime() + debounceNanos;
          }
        }
        if (relevant && running) {
          onChange.run();
        }
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("rules watcher: reload callback failed: {}", e.toString());
      }
    }
  }

  private boolean drain(WatchKey key) {
    boolean relevant = false;
    Path base = (Path) key.watchable();
    for (WatchEvent<?> ev : key.pollEvents()) {
      if (ev.kind() == OVERFLOW) {
        relevant = true;
        continue;
      }
      Path child = base.resolve((Path) ev.context());
      if (ev.kind() == ENTRY_CREATE && Files.isDirectory(child)) {
        try {
          registerAll(child);
        } catch (IOException e) {
          log.warn("rules watcher: cannot watch new directory {}: {}", child, e.toString());
        }
        relevant = true;
      } else if (RuleSources.isRuleSource(child.getFileName().toString())) {
        relevant = true;
      }
    }
    key.reset();
    return relevant;
  }

  @Override
  public void close() {
    running = false;
    try {
      service.close();
    } catch (IOException e) {
      log.debug("rules watcher: close failed: {}", e.toString());
    }
    thread.interrupt();
  }
}
