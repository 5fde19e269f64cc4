package dev.mkt.rules.internal;

import dev.mkt.rules.RuleCompilationException;
import dev.mkt.rules.RuleProblem;
import dev.mkt.rules.Trigger;
import dev.mkt.rules.Triggers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds rule sources: {@code .drl} files, and trigger files ({@code triggers.yaml|yml|json} or
 * {@code *.triggers.yaml|yml|json}) which are compiled into DRL. Files are read in name order, so compilation is
 * deterministic.
 */
public final class RuleSources {
  /** The classpath folder of the shipped seed rules. */
  public static final String SEED_LOCATION = "dev/mkt/rules/seed/";

  private RuleSources() {}

  /** Whether a file name is a DRL file. */
  public static boolean isDrl(String fileName) {
    return fileName.toLowerCase(Locale.ROOT).endsWith(".drl");
  }

  /** Whether a file name is a trigger file. */
  public static boolean isTriggerFile(String fileName) {
    String n = fileName.toLowerCase(Locale.ROOT);
    return n.equals("triggers.yaml") || n.equals("triggers.yml") || n.equals("triggers.json")
        || n.endsWith(".triggers.yaml") || n.endsWith(".triggers.yml") || n.endsWith(".triggers.json");
  }

  /** Whether a file is a rule source of either kind. */
  public static boolean isRuleSource(String fileName) {
    return isDrl(fileName) || isTriggerFile(fileName);
  }

  /**
   * Reads every rule source under a directory (recursively). Trigger files become generated DRL.
   *
   * @throws RuleCompilationException for invalid trigger files
   * @throws UncheckedIOException if the directory cannot be read
   */
  public static List<DrlSource> fromDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new UncheckedIOException(new IOException("rules directory " + dir + " does not exist or is not a "
          + "directory"));
    }
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).filter(p -> isRuleSource(p.getFileName().toString())).sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list rules directory " + dir, e);
    }
    List<DrlSource> out = new ArrayList<>();
    List<RuleProblem> problems = new ArrayList<>();
    for (Path f : files) {
      String text;
      try {
        text = Files.readString(f, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read rule file " + f, e);
      }
      add(out, problems, f.toString(), text);
    }
    if (!problems.isEmpty()) {
      throw new RuleCompilationException(problems);
    }
    return out;
  }

  private static void add(List<DrlSource> out, List<RuleProblem> problems, String name, String text) {
    String file = name.substring(name.lastIndexOf('/') + 1);
    if (isDrl(file)) {
      out.add(new DrlSource(name, text));
      return;
    }
    try {
      List<Trigger> triggers = Triggers.parse(name, text);
      out.add(new DrlSource(generatedName(name), Triggers.toDrl(triggers, name)));
    } catch (RuleCompilationException e) {
      problems.addAll(e.problems());
    }
  }

  /** The name of the DRL generated from a trigger file. */
  public static String generatedName(String triggerFile) {
    return triggerFile + " (generated DRL)";
  }

  /**
   * Reads every rule source in a classpath folder such as {@code rules/}, from directories and jars alike.
   *
   * @throws RuleCompilationException for invalid trigger files
   */
  public static List<DrlSource> fromClasspath(String location, ClassLoader cl) {
    String prefix = location.startsWith("/") ? location.substring(1) : location;
    if (!prefix.isEmpty() && !prefix.endsWith("/")) {
      prefix = prefix + "/";
    }
    TreeMap<String, String> found = new TreeMap<>();
    try {
      Enumeration<URL> urls = cl.getResources(prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1));
      while (urls.hasMoreElements()) {
        URL url = urls.nextElement();
        if (url.getProtocol().equals("file")) {
          Path dir = Paths.get(url.toURI());
          try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
              if (isRuleSource(p.getFileName().toString())) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                found.putIfAbsent(prefix + rel, Files.readString(p, StandardCharsets.UTF_8));
              }
            }
          }
        } else if (url.getProtocol().equals("jar")) {
          JarURLConnection c = (JarURLConnection) url.openConnection();
          c.setUseCaches(false);
          try (JarFile jar = c.getJarFile()) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
              JarEntry e = entries.nextElement();
              String n = e.getName();
              if (!e.isDirectory() && n.startsWith(prefix) && isRuleSource(n.substring(n.lastIndexOf('/') + 1))) {
                try (InputStream in = jar.getInputStream(e)) {
                  found.putIfAbsent(n, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read rules from classpath:" + location, e);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("bad classpath location " + location, e);
    }
    List<DrlSource> out = new ArrayList<>();
    List<RuleProblem> problems = new ArrayList<>();
    found.forEach((name, text) -> add(out, problems, "classpath:" + name, text));
    if (!problems.isEmpty()) {
      throw new RuleCompilationException(problems);
    }
    return out;
  }

  /** The shipped seed rules. */
  public static List<DrlSource> seed() {
    List<DrlSource> s = fromClasspath(SEED_LOCATION, RuleSources.class.getClassLoader());
    if (s.isEmpty()) {
      throw new IllegalStateException("the seed rules are missing from the classpath at " + SEED_LOCATION);
    }
    return s;
  }
}
