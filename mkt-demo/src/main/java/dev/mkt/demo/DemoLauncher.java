package dev.mkt.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts the demo the fast way, for the README's command ({@code mvn -q -pl mkt-demo -am package -DskipTests
 * -Ddemo.run}, which runs this class right after the jar is built): Spring Boot's extracted layout plus an
 * AppCDS archive trained on this very build, and launcher flags for a short-lived, start-up-bound JVM.
 *
 * <ol>
 *   <li>extracts {@code target/mkt-demo.jar} into {@code target/demo/} ({@code java -Djarmode=tools -jar ...
 *       extract}): a thin {@code mkt-demo.jar} whose manifest lists {@code lib/*.jar}, because the JVM's class
 *       data sharing only archives classes loaded from plain jars on the class path, not from jars nested in the
 *       uber jar;</li>
 *   <li>trains the archive once per build: starts the demo with {@code -XX:ArchiveClassesAtExit} and Spring's
 *       {@code -Dspring.context.exit=onRefresh}, which ends the JVM as soon as the context is refreshed (engine
 *       open, rules compiled, web server created), so every class loaded so far is dumped into
 *       {@code target/demo/mkt-demo.jsa};</li>
 *   <li>writes the JVM options to {@code target/demo/jvm.args} (a {@code java @file} argument file, so that
 *       {@code java @mkt-demo/target/demo/jvm.args -jar mkt-demo/target/demo/mkt-demo.jar} starts the same way
 *       without Maven, and {@code DemoStartup} measures exactly this), then starts the demo with them.</li>
 * </ol>
 *
 * <p>If extracting or training fails, the demo still starts, from the uber jar or without the archive, and
 * says so. Only the JDK is used here: this class runs inside Maven's JVM ({@code exec:java}), before anything
 * of the demo is loaded.
 */
public final class DemoLauncher {
  /**
   * Options of the demo's JVM besides the archive: C1 only (a start-up-bound JVM gains nothing from C2's
   * compile threads on a small machine), the serial collector (no GC worker threads to start for a heap this
   * size). Measured in docs/benchmarks.md ("Demo ready after JVM start").
   */
  static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private static final long TRAINING_TIMEOUT_SECONDS = 120;

  private DemoLauncher() {}

  /**
   * Arguments: the uber jar, the directory to extract it into, then the demo's own arguments, or
   * {@code --prepare-only} to extract and train without starting the demo (for {@code DemoStartup}).
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      throw new IllegalArgumentException(
          "usage: DemoLauncher <uber jar> <extract directory> [--prepare-only | demo arguments]");
    }
    Path uberJar = Path.of(args[0]).toAbsolutePath();
    Path dir = Path.of(args[1]).toAbsolutePath();
    List<String> demoArgs = List.of(args).subList(2, args.length);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    Path argFile = prepare(java, uberJar, dir);
    if (demoArgs.equals(List.of("--prepare-only"))) {
      return;
    }
    List<String> command = new ArrayList<>();
    command.add(java);
    if (argFile != null) {
      command.add("@" + argFile);
      command.addAll(List.of("-jar", dir.resolve(uberJar.getFileName()).toString()));
    } else {
      command.addAll(JVM_OPTIONS);
      command.addAll(List.of("-jar", uberJar.toString()));
    }
    command.addAll(demoArgs);
    int exit = run(command);
    if (exit != 0 && exit != 130 && exit != 143) { // 130/143: stopped with Ctrl-C or a TERM
      throw new IllegalStateException("the demo exited with status " + exit);
    }
  }

  /**
   * Extracts the jar and trains the archive unless both are newer than the jar; returns the argument file to
   * start with, or {@code null} if the extracted layout could not be made (start from the uber jar then).
   */
  static Path prepare(String java, Path uberJar, Path dir) throws IOException, InterruptedException {
    Path thinJar = dir.resolve(uberJar.getFileName());
    Path archive = dir.resolve(stripJar(uberJar.getFileName().toString()) + ".jsa");
    Path argFile = dir.resolve("jvm.args");
    // An archive fits only the JVM that wrote it: another JDK ignores it, so a change of JDK retrains too.
    Path stamp = dir.resolve("cds.jvm");
    String jvm = java + " " + System.getProperty("java.vm.version");
    long built = Files.getLastModifiedTime(uberJar).toMillis();
    if (Files.isRegularFile(argFile) && Files.isRegularFile(thinJar) && Files.isRegularFile(archive)
        && Files.getLastModifiedTime(archive).toMillis() > built
        && Files.getLastModifiedTime(argFile).toMillis() > built
        && Files.isRegularFile(stamp) && Files.readString(stamp).equals(jvm)) {
      return argFile; // trained on this build, with this JVM, already
    }
    Files.createDirectories(dir);
    Files.deleteIfExists(stamp);
    Path log = dir.resolve("cds-training.log");
    Files.deleteIfExists(log);
    Files.deleteIfExists(archive);
    Files.deleteIfExists(argFile);
    if (exec(log, TRAINING_TIMEOUT_SECONDS, java, "-Djarmode=tools", "-jar", uberJar.toString(), "extract",
        "--destination", dir.toString(), "--force") != 0 || !Files.isRegularFile(thinJar)) {
      System.out.println("  Could not extract " + uberJar.getFileName() + " (see " + log
          + "): starting the demo from the jar, without a CDS archive.");
      return null;
    }
    Path data = Files.createTempDirectory("mkt-demo-cds-training");
    List<String> training = new ArrayList<>(List.of(java, "-XX:ArchiveClassesAtExit=" + archive));
    training.addAll(JVM_OPTIONS);
    training.addAll(List.of("-Dspring.context.exit=onRefresh", "-jar", thinJar.toString(), "--server.port=0",
        "--demo.simulator.enabled=false", "--mkt.data-directory=" + data));
    int status;
    try {
      status = exec(log, TRAINING_TIMEOUT_SECONDS, training.toArray(String[]::new));
    } finally {
      deleteTree(data);
    }
    List<String> options = new ArrayList<>(JVM_OPTIONS);
    if (status == 0 && Files.isRegularFile(archive) && Files.size(archive) > 0) {
      options.add(0, "-XX:SharedArchiveFile=" + archive);
    } else {
      System.out.println("  Training the CDS archive failed (status " + status + ", see " + log
          + "): starting the demo without it, which is slower.");
    }
    Files.write(argFile, options, StandardCharsets.UTF_8);
    Files.writeString(stamp, jvm);
    return argFile;
  }

  /** Runs a step with its output in {@code log}; its exit status, or -1 if it timed out. */
  private static int exec(Path log, long timeoutSeconds, String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      return -1;
    }
    return p.exitValue();
  }

  /** Runs the demo in the foreground; stopping Maven (Ctrl-C) stops it too. */
  private static int run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).inheritIO().start();
    Thread stop = new Thread(() -> {
      p.destroy();
      try {
        p.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "demo-stop");
    Runtime.getRuntime().addShutdownHook(stop);
    try {
      return p.waitFor();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stop);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running
      }
    }
  }

  private static String stripJar(String name) {
    return name.endsWith(".jar") ? name.substring(0, name.length() - 4) : name;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind
    }
  }
}
