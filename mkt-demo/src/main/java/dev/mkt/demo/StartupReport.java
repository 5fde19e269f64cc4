package dev.mkt.demo;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline;
import org.springframework.core.metrics.StartupStep;

/**
 * Prints the slowest start-up steps (bean instantiation, context phases) recorded by
 * {@link BufferingApplicationStartup}; enabled with {@code -Ddemo.startup-report=true}. Steps nest, so a parent's
 * time includes its children's.
 */
final class StartupReport {
  private StartupReport() {}

  static void print(BufferingApplicationStartup startup, int top) {
    StartupTimeline timeline = startup.getBufferedTimeline();
    List<StartupTimeline.TimelineEvent> events = timeline.getEvents().stream()
        .sorted(Comparator.comparing(StartupTimeline.TimelineEvent::getDuration).reversed())
        .limit(top).collect(Collectors.toList());
    System.out.println("  slowest start-up steps (ms, nested steps included in their parents):");
    for (StartupTimeline.TimelineEvent e : events) {
      StartupStep step = e.getStartupStep();
      String tags = java.util.stream.StreamSupport.stream(step.getTags().spliterator(), false)
          .filter(t -> t.getKey().equals("beanName") || t.getKey().equals("postProcessor"))
          .map(StartupStep.Tag::getValue).collect(Collectors.joining(","));
      System.out.printf("  %6d  %s %s%n", millis(e.getDuration()), step.getName(), tags);
    }
  }

  private static long millis(Duration d) {
    return d.toMillis();
  }
}
