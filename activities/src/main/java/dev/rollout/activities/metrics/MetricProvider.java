package dev.rollout.activities.metrics;

import dev.rollout.activities.gates.Sample;
import dev.rollout.plan.MetricSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Answers metric queries from one type of {@link MetricSource} ({@code metrics/prometheus},
 * {@code metrics/scrape}, {@code metrics/scripted}), picked by {@link MetricProviders}. Every read
 * names its moment, so two series (the canary's and the stable's) can be read at the same one.
 *
 * <p>Both methods throw {@link MetricQueryException} when the source cannot answer: {@code
 * badQuery} when asking again cannot help, otherwise the source is unavailable (retry later).
 *
 * @param <S> the source spec this provider serves
 */
public interface MetricProvider<S extends MetricSource> {

  /** The spec type this provider serves; the registry picks a provider by it. */
  Class<S> type();

  /** The query's value at {@code at} (or the latest the source has); empty when it returns no data. */
  Optional<Sample> instant(S source, MetricRequest request, Instant at);

  /**
   * The query's values over the {@code window} up to {@code end}, about every {@code step}, oldest
   * first; empty when there is no data.
   */
  List<Sample> range(S source, MetricRequest request, Instant end, Duration window, Duration step);

  /**
   * Like {@link #instant(MetricSource, MetricRequest, Instant)}, from a visit to the source made at
   * or after {@code readSince}: a source read whole (a scrape endpoint) is visited once and answers
   * every query made since from that one read, as does a failed visit (it is not retried for each
   * query). Sources asked query by query ignore it.
   */
  default Optional<Sample> instant(S source, MetricRequest request, Instant at, Instant readSince) {
    return instant(source, request, at);
  }

  /**
   * Like {@link #range(MetricSource, MetricRequest, Instant, Duration, Duration)}, from a visit at
   * or after {@code readSince}.
   */
  default List<Sample> range(
      S source, MetricRequest request, Instant end, Duration window, Duration step, Instant readSince) {
    return range(source, request, end, window, step);
  }
}
