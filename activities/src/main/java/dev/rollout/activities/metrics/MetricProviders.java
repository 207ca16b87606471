package dev.rollout.activities.metrics;

import dev.rollout.activities.gates.Sample;
import dev.rollout.activities.metrics.prometheus.PrometheusProvider;
import dev.rollout.activities.metrics.scrape.ScrapeProvider;
import dev.rollout.activities.metrics.scripted.ScriptedProvider;
import dev.rollout.activities.support.HttpClients;
import dev.rollout.activities.support.Registry;
import dev.rollout.plan.MetricSource;
import io.temporal.failure.ApplicationFailure;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The metric providers this worker has, one per {@link MetricSource} type. */
public final class MetricProviders {

  private final Registry<MetricProvider<?>> registry;

  public MetricProviders(List<? extends MetricProvider<?>> providers) {
    this.registry = new Registry<>("metric provider", providers, MetricProvider::type);
  }

  /** Five seconds a request, three tries: a blip is absorbed, a dead source is reported fast. */
  public static MetricProviders defaults() {
    return standard(Duration.ofSeconds(5), 3, Clock.systemUTC());
  }

  /**
   * Prometheus, scraped endpoints and the plan's scripted values.
   *
   * @param timeout how long one HTTP request may take
   * @param attempts how many times an unanswered request is tried before giving up
   */
  public static MetricProviders standard(Duration timeout, int attempts, Clock clock) {
    HttpClient http = HttpClients.newClient(timeout);
    return new MetricProviders(List.of(
        new PrometheusProvider(http, timeout, attempts),
        new ScrapeProvider(http, timeout, clock),
        new ScriptedProvider()));
  }

  /** @see MetricProvider#instant */
  public Optional<Sample> instant(MetricSource source, MetricRequest request, Instant at) {
    return forSource(source).instant(source, request, at);
  }

  /** @see MetricProvider#range */
  public List<Sample> range(MetricSource source, MetricRequest request, Instant end, Duration window, Duration step) {
    return forSource(source).range(source, request, end, window, step);
  }

  /** @see MetricProvider#instant(MetricSource, MetricRequest, Instant, Instant) */
  public Optional<Sample> instant(MetricSource source, MetricRequest request, Instant at, Instant readSince) {
    return forSource(source).instant(source, request, at, readSince);
  }

  /** @see MetricProvider#range(MetricSource, MetricRequest, Instant, Duration, Duration, Instant) */
  public List<Sample> range(
      MetricSource source, MetricRequest request, Instant end, Duration window, Duration step, Instant readSince) {
    return forSource(source).range(source, request, end, window, step, readSince);
  }

  @SuppressWarnings("unchecked")
  private <S extends MetricSource> MetricProvider<S> forSource(S source) {
    if (source == null) throw MetricQueryException.badQuery("the metric names no source");
    try {
      return (MetricProvider<S>) registry.forSpec(source);
    } catch (ApplicationFailure unknown) {
      throw MetricQueryException.badQuery(unknown.getOriginalMessage());
    }
  }
}
