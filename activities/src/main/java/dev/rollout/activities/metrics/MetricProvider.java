package dev.rollout.activities.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Answers metric queries from one source. One implementation per {@link
 * dev.rollout.plan.MetricSource} type (Prometheus, a scraped endpoint, scripted values), picked by
 * {@link MetricProviders}.
 *
 * <p>Both methods throw {@link MetricQueryException} when the source cannot answer: {@code
 * badQuery} when asking again cannot help, otherwise the source is unavailable (retry later).
 */
public interface MetricProvider {

  /** The query's latest value; empty when it returns no data. */
  Optional<Sample> instant(MetricRequest request);

  /**
   * The query's values over the last {@code window}, about every {@code step}, oldest first; empty
   * when there is no data.
   */
  List<Sample> range(MetricRequest request, Duration window, Duration step);

  /**
   * Like {@link #instant(MetricRequest)}, from a visit to the source made at or after {@code
   * readSince}: a source read whole (a scrape endpoint) is visited once and answers every query
   * made since from that one read, as does a failed visit (it is not retried for each query).
   * Sources asked query by query ignore it.
   */
  default Optional<Sample> instant(MetricRequest request, Instant readSince) {
    return instant(request);
  }

  /** Like {@link #range(MetricRequest, Duration, Duration)}, from a visit at or after {@code readSince}. */
  default List<Sample> range(MetricRequest request, Duration window, Duration step, Instant readSince) {
    return range(request, window, step);
  }
}
