package dev.mkt.benchmarks.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Start-up time of the demo application: JVM start to "ready" (Spring's {@code ApplicationReadyEvent}: web server
 * up, engine open, rules compiled), as the demo itself reports it. Each run is a fresh JVM with a fresh data
 * directory; the simulator is off. Variants, measured in the same run:
 *
 * <ul>
 *   <li>{@code plain}: {@code java -jar mkt-demo.jar}, what a user runs;</li>
 *   <li>{@code c1}: the same with {@code -XX:TieredStopAtLevel=1} (what {@code spring-boot:run} does, and the demo
 *       command before {@code DemoLauncher});</li>
 *   <li>{@code baseline}: the same jar with {@code mkt.enabled=false}: Spring Boot, Tomcat, actuator and the
 *       demo's pages without the engine, so the difference is what mkt (engine, rules, channels) costs;</li>
 *   <li>{@code launcher}: what the README's demo command starts ({@code DemoLauncher}): the extracted jar in
 *       {@code target/demo/} with the options in {@code target/demo/jvm.args} (the AppCDS archive trained on the
 *       build, C1 only, serial GC);</li>
 *   <li>{@code launcher-baseline}: the same with {@code mkt.enabled=false}.</li>
 * </ul>
 *
 * <p>Run: {@code mvn -B -pl mkt-demo,benchmarks -am package -DskipTests -Ddemo.train} (the {@code demo.train}
 * property prepares {@code target/demo/} without starting the demo) then
 * {@code java -cp benchmarks/target/benchmarks.jar dev.mkt.benchmarks.e2e.DemoStartup mkt-demo/target/mkt-demo.jar 5}
 * (jar, runs per variant, optionally a comma-separated list of variants). Runs the variants in rounds (one run of
 * each per round), prints each run and the median per variant. Results: docs/benchmarks.md.
 */
public final class DemoStartup {
  private static final Pattern READY = Pattern.compile("ready in (\\d+) ms");

  private DemoStartup() {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args.length > 0 ? args[0] : "mkt-demo/target/mkt-demo.jar");
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<String> only = args.length > 2 ? List.of(args[2].split(",")) : null;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path extracted = jar.toAbsolutePath().resolveSibling("demo");
    String argFile = "@" + extracted.resolve("jvm.args");
    String thinJar = extracted.resolve(jar.getFileName()).toString();
    String[][] variants = {
        {"plain", "-jar", jar.toString()},
        {"c1", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()},
        {"baseline", "-Dmkt.enabled=false", "-jar", jar.toString()},
        {"launcher", argFile, "-jar", thinJar},
        {"launcher-baseline", argFile, "-Dmkt.enabled=false", "-jar", thinJar},
    };
    List<String[]> chosen = new ArrayList<>();
    for (String[] v : variants) {
      if (only == null || only.contains(v[0])) {
        chosen.add(v);
      }
    }
    // Rounds: each round runs every variant once, so a load that drifts during the run (a shared machine)
    // weighs on every variant alike.
    Map<String, List<Long>> times = new LinkedHashMap<>();
    for (int i = 0; i < runs; i++) {
      for (String[] v : chosen) {
        Path data = Files.createTempDirectory("mkt-startup");
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(Arrays.asList(v).subList(1, v.length));
        cmd.addAll(List.of("--server.port=0", "--demo.simulator.enabled=false",
            "--mkt.data-directory=" + data));
        long ms;
        try {
          ms = runOnce(cmd);
        } finally {
          deleteTree(data);
        }
        times.computeIfAbsent(v[0], k -> new ArrayList<>()).add(ms);
        System.out.printf("%-17s run %d: %d ms%n", v[0], i + 1, ms);
      }
    }
    times.forEach((name, t) -> {
      t.sort(null);
      System.out.printf("%-17s median %d ms (min %d, max %d)%n", name, t.get(t.size() / 2), t.get(0),
          t.get(t.size() - 1));
    });
  }

  private static long runOnce(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        Matcher m = READY.matcher(line);
        if (m.find()) {
          return Long.parseLong(m.group(1));
        }
      }
      throw new IllegalStateException("the demo exited without reporting ready: " + cmd);
    } finally {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
