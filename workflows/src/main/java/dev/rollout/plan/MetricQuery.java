package dev.rollout.plan;

/**
 * A named metric: which source answers it and how to ask.
 *
 * @param source the name of a declared metric source
 * @param query PromQL (or the metric name for a scrape source); {@code ${service}} and
 *     {@code ${environment}} are replaced with the rollout's target
 * @param unit what the query returns: a {@link Quantity.Unit} symbol ({@code %}, {@code ms},
 *     {@code s}, {@code MB}, …) or empty for a plain number or a ratio
 */
public record MetricQuery(String source, String query, String unit, String description) {}
