package dev.rollout.plan;

/**
 * A named metric: which source answers it and how to ask.
 *
 * @param source the name of a declared metric source
 * @param query PromQL (or the metric name for a scrape source); {@code ${service}} and
 *     {@code ${environment}} are replaced with the rollout's target, {@code ${track}} with one of
 *     the {@code tracks}
 * @param unit what the query returns: a {@link Quantity.Unit} symbol ({@code %}, {@code ms},
 *     {@code s}, {@code MB}, …) or empty for a plain number or a ratio
 * @param tracks the canary's and the stable's label values for {@code ${track}}: gates read the
 *     canary, {@code relativeTo: stable} compares it with the stable at the same moment
 */
public record MetricQuery(String source, String query, String unit, String description, Tracks tracks) {

  /** A metric of one series, no tracks. */
  public MetricQuery(String source, String query, String unit, String description) {
    this(source, query, unit, description, null);
  }

  /** The placeholder the tracks fill. */
  public static final String TRACK_PLACEHOLDER = "${track}";

  /** Whether the query has a {@code ${track}} to fill. */
  public boolean usesTrack() {
    return query != null && query.contains(TRACK_PLACEHOLDER);
  }
}
