package dev.rollout.activities.metrics;

/**
 * A query ready to send: the plan's query with the rollout's labels substituted.
 *
 * @param metric the metric's name in the plan (scripted sources answer by name)
 * @param query PromQL, or the scrape provider's selector expression
 */
public record MetricRequest(String metric, String query) {}
