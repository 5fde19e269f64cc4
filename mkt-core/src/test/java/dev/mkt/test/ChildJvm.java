package dev.mkt.test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM for crash tests: the test's class path, a small heap, C1 only (it starts fast), the given slf4j-simple
 * log level, stderr inherited; stdout is the test's to read. {@link #kill9} ends it the way a crash does.
 */
public final class ChildJvm {
  private ChildJvm() {}

  public static Process start(String logLevel, Class<?> main, String... args) throws IOException {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", cp,
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=" + logLevel, main.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /** {@code kill -9}: no shutdown hook, no flush, no close. */
  public static void kill9(Process p) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-9", Long.toString(p.pid())).inheritIO().start().waitFor();
  }
}
