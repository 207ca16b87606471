package dev.rollout.activities.metrics;

import dev.rollout.plan.Tracks.Track;

/**
 * A query ready to send: the plan's query with the rollout's labels substituted.
 *
 * @param metric the metric's name in the plan (scripted sources answer by name)
 * @param query PromQL, or the scrape provider's selector expression
 * @param track which series of a metric with tracks the query reads (the canary's or the stable's),
 *     null for a metric without tracks; sources that answer by name (a rehearsal's) tell the two
 *     series apart by it
 */
public record MetricRequest(String metric, String query, Track track) {

  /** A query of a metric without tracks. */
  public MetricRequest(String metric, String query) {
    this(metric, query, null);
  }
}
