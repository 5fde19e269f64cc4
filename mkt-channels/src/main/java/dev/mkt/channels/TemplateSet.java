package dev.mkt.channels;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.error.RootAttributeNotFoundException;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.loader.DelegatingLoader;
import io.pebbletemplates.pebble.loader.FileLoader;
import io.pebbletemplates.pebble.loader.Loader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The templates of one channel, rendered with Pebble: {@code <location>/<template>/<part>[_<lang>[_<COUNTRY>]].peb},
 * e.g. {@code email/welcome_v1/subject.peb}, {@code email/welcome_v1/html_de.peb}. Locations are searched in
 * order (a directory of the founder's first, the shipped classpath templates last), so a founder overrides one
 * template by adding one folder. A template comes whole from the first location that has it (its parts are never
 * mixed across locations); its {@code extends} and {@code include} may reach into later locations (a founder's
 * template can extend the shipped {@code _layout/html}). Which file serves a template, part and locale is looked
 * up once and cached, like Pebble caches the compiled templates: edits to a directory take effect on restart.
 *
 * <p>Two engines share the loader: HTML parts are auto-escaped (a user's name {@code <script>} renders as
 * text), text parts and subjects are not (they are not HTML). Both are strict: an undefined variable is an
 * error, never an empty string. Compiled templates are cached.
 */
public final class TemplateSet {
  /** The suffix of template files. */
  public static final String SUFFIX = ".peb";
  private static final int MAX_RENDERED_CHARS = 1 << 20;

  private final List<Loader<?>> singles;
  /** Per location: the loader chain its engines read (that location, then the later ones). */
  private final List<Loader<?>> chains = new ArrayList<>();
  /**
   * The Pebble engines, built at the first render rather than when the channel opens: start-up only checks
   * that templates exist (the loaders), and building four engines (HTML and text, per channel) costs the
   * application's start-up a noticeable share of the engine's open.
   */
  private final Lazy<Engines> engines = new Lazy<>(() -> new Engines(chains));
  private final List<String> locations;
  private final List<String> parts;
  /** Resolution results (owner location, file per locale): resource lookups in jars are slow and serialized. */
  private final java.util.concurrent.ConcurrentHashMap<String, Integer> owners = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.ConcurrentHashMap<String, java.util.Optional<String>> files =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** HTML (auto-escaped) and text engines, one each per location. */
  private static final class Engines {
    final List<PebbleEngine> html = new ArrayList<>();
    final List<PebbleEngine> text = new ArrayList<>();

    Engines(List<Loader<?>> chains) {
      for (Loader<?> chain : chains) {
        html.add(new PebbleEngine.Builder().loader(chain).strictVariables(true).autoEscaping(true)
            .defaultEscapingStrategy("html").maxRenderedSize(MAX_RENDERED_CHARS).build());
        text.add(new PebbleEngine.Builder().loader(chain).strictVariables(true).autoEscaping(false)
            .maxRenderedSize(MAX_RENDERED_CHARS).build());
      }
    }
  }

  private TemplateSet(List<Loader<?>> singles, List<String> locations, List<String> parts) {
    this.singles = singles;
    this.locations = locations;
    this.parts = parts;
    for (int i = 0; i < singles.size(); i++) {
      chains.add(i == singles.size() - 1 ? singles.get(i)
          : new DelegatingLoader(new ArrayList<>(singles.subList(i, singles.size()))));
    }
  }

  private PebbleEngine engine(int location, boolean escapeHtml) {
    Engines e = engines.get();
    return (escapeHtml ? e.html : e.text).get(location);
  }

  /**
   * Loads from {@code locations}: {@code classpath:<prefix>} or a directory ({@code file:<dir>} or a plain
   * path). {@code parts} are the part names a template of this channel may have (e.g. subject, html, text).
   *
   * @throws IllegalArgumentException naming a directory that does not exist
   */
  public static TemplateSet load(List<String> locations, List<String> parts, ClassLoader classLoader) {
    List<Loader<?>> loaders = new ArrayList<>();
    for (String loc : locations) {
      if (loc.startsWith("classpath:")) {
        ClasspathLoader l = new ClasspathLoader(classLoader);
        String prefix = loc.substring("classpath:".length());
        while (prefix.startsWith("/")) {
          prefix = prefix.substring(1);
        }
        l.setPrefix(prefix.endsWith("/") ? prefix : prefix + "/");
        l.setSuffix(SUFFIX);
        l.setCharset("UTF-8");
        loaders.add(l);
      } else {
        Path dir = Path.of(loc.startsWith("file:") ? loc.substring("file:".length()) : loc).toAbsolutePath();
        if (!Files.isDirectory(dir)) {
          throw new IllegalArgumentException("template directory " + dir + " does not exist");
        }
        FileLoader l = new FileLoader();
        l.setPrefix(dir.toString() + java.io.File.separator);
        l.setSuffix(SUFFIX);
        l.setCharset("UTF-8");
        loaders.add(l);
      }
    }
    if (loaders.isEmpty()) {
      throw new IllegalArgumentException("no template location given");
    }
    return new TemplateSet(loaders, List.copyOf(locations), List.copyOf(parts));
  }

  /** Where templates are looked for, for messages. */
  public String locations() {
    return String.join(", ", locations);
  }

  /** The first location that has any part of {@code template}, or -1 (cached). */
  private int owner(String template) {
    return owners.computeIfAbsent(template, this::findOwner);
  }

  private int findOwner(String template) {
    for (int i = 0; i < singles.size(); i++) {
      for (String p : parts) {
        if (singles.get(i).resourceExists(template + "/" + p)) {
          return i;
        }
      }
    }
    return -1;
  }

  /** Whether {@code template/part} exists (in the location that owns the template). */
  public boolean exists(String template, String part) {
    int o = owner(template);
    return o >= 0 && singles.get(o).resourceExists(template + "/" + part);
  }

  /**
   * Problems with the named templates: each must have every part of {@code required} and at least one of
   * {@code anyOf}, in the location that owns it.
   */
  public List<String> check(Set<String> templates, List<String> required, List<String> anyOf) {
    List<String> problems = new ArrayList<>();
    for (String t : new java.util.TreeSet<>(templates)) {
      if (!safeName(t)) {
        problems.add("template name '" + t + "' must be letters, digits, '_' and '-'");
        continue;
      }
      int o = owner(t);
      String where = o < 0 ? locations() : locations.get(o);
      for (String part : required) {
        if (o < 0 || !singles.get(o).resourceExists(t + "/" + part)) {
          problems.add("no template '" + t + "': " + t + "/" + part + SUFFIX + " not found in " + where);
        }
      }
      if (!anyOf.isEmpty() && (o < 0 || anyOf.stream().noneMatch(p -> singles.get(o).resourceExists(t + "/" + p)))) {
        problems.add("template '" + t + "' has none of " + anyOf + " (" + t + "/" + anyOf.get(0) + SUFFIX + ") in "
            + where);
      }
    }
    return problems;
  }

  /** The file that serves {@code part} of {@code template} for {@code locale} in location {@code o}, or null. */
  private String resolve(int o, String template, String part, Locale locale) {
    Loader<?> loader = singles.get(o);
    String base = template + "/" + part;
    if (locale != null && !locale.getLanguage().isEmpty()) {
      if (!locale.getCountry().isEmpty()) {
        String full = base + "_" + locale.getLanguage() + "_" + locale.getCountry();
        if (loader.resourceExists(full)) {
          return full;
        }
      }
      String lang = base + "_" + locale.getLanguage();
      if (loader.resourceExists(lang)) {
        return lang;
      }
    }
    return loader.resourceExists(base) ? base : null;
  }

  /**
   * Renders one part; {@code null} if the template has no such part (in any locale).
   *
   * @param escapeHtml whether variables are HTML-escaped (HTML parts)
   * @throws TemplateFailure naming the file and line, for an undefined variable or a template error
   */
  public String render(String template, String part, boolean escapeHtml, Locale locale, Map<String, Object> context)
      throws TemplateFailure {
    if (!safeName(template)) {
      throw new TemplateFailure("template_missing: invalid template name '" + template + "'");
    }
    int o = owner(template);
    String name = o < 0 ? null : files.computeIfAbsent(template + '/' + part + '/' + (locale == null ? ""
        : locale.toLanguageTag()), k -> java.util.Optional.ofNullable(resolve(o, template, part, locale))).orElse(null);
    if (name == null) {
      return null;
    }
    StringWriter w = new StringWriter();
    try {
      engine(o, escapeHtml).getTemplate(name).evaluate(w, context, locale == null ? Locale.ROOT : locale);
    } catch (RootAttributeNotFoundException e) {
      throw new TemplateFailure("template_error: " + name + SUFFIX + " line " + e.getLineNumber()
          + ": variable '" + e.getAttributeName() + "' is not defined");
    } catch (PebbleException e) {
      throw new TemplateFailure("template_error: " + name + SUFFIX + (e.getLineNumber() != null ? " line "
          + e.getLineNumber() : "") + ": " + e.getPebbleMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  private static boolean safeName(String t) {
    return t.matches("[A-Za-z0-9_-]+");
  }
}
