package dev.mkt.spring.web;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * How {@link EventIngest} maps foreign formats onto mkt events.
 *
 * @param maxBodyBytes largest body accepted; larger ones are answered 413
 * @param segmentEventTypes Segment event names mapped to mkt types ({@code "Signed Up" -> signup})
 * @param segmentSnakeCase whether unmapped Segment event names become snake_case types
 * @param segmentPageType the mkt type of Segment {@code page} calls
 * @param segmentScreenType the mkt type of Segment {@code screen} calls
 * @param cloudEventTypes CloudEvent types mapped to mkt types
 * @param cloudEventTypePrefix a prefix stripped from unmapped CloudEvent types, or {@code null}
 */
public record IngestOptions(long maxBodyBytes, Map<String, String> segmentEventTypes, boolean segmentSnakeCase,
    String segmentPageType, String segmentScreenType, Map<String, String> cloudEventTypes,
    String cloudEventTypePrefix) {

  /** 512 KiB bodies, Segment names in snake_case, no type mappings. */
  public static final IngestOptions DEFAULTS =
      new IngestOptions(512 * 1024, Map.of(), true, "page_view", "screen_view", Map.of(), null);

  public IngestOptions {
    if (maxBodyBytes < 2) {
      throw new IllegalArgumentException("maxBodyBytes must be >= 2, but was " + maxBodyBytes);
    }
    segmentEventTypes = Map.copyOf(requireNonNull(segmentEventTypes, "segmentEventTypes"));
    cloudEventTypes = Map.copyOf(requireNonNull(cloudEventTypes, "cloudEventTypes"));
    requireNonNull(segmentPageType, "segmentPageType");
    requireNonNull(segmentScreenType, "segmentScreenType");
  }
}
