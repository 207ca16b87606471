package dev.rollout.activities.metrics.scrape;

import dev.rollout.activities.gates.Sample;
import dev.rollout.activities.metrics.MetricProvider;
import dev.rollout.activities.metrics.MetricQueryException;
import dev.rollout.activities.metrics.MetricRequest;
import dev.rollout.plan.MetricSource;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads Prometheus-format endpoints ({@code /metrics}, {@code /actuator/prometheus}) directly and
 * keeps the scrapes in memory, indexed: a demo or a single service needs no Prometheus, and one
 * endpoint serving thousands of services is read once per check interval for all of them (the
 * watch scheduler reads every query of one source and interval from the same scrape, {@code
 * readSince}), each query then answered by an index lookup. One endpoint per URL, kept for the
 * worker's life (its history must outlive an activity call).
 *
 * <p>An endpoint is read when asked, so "at" means now: an instant read is the latest scrape, a
 * range the scrapes kept since {@code end - window}. Two reads of one check share a scrape.
 */
public class ScrapeProvider implements MetricProvider<MetricSource.Scrape> {
  private final HttpClient http;
  private final Duration timeout;
  private final Clock clock;
  private final Map<String, ScrapedEndpoint> endpoints = new ConcurrentHashMap<>();

  public ScrapeProvider(HttpClient http, Duration timeout, Clock clock) {
    this.http = http;
    this.timeout = timeout;
    this.clock = clock;
  }

  @Override
  public Class<MetricSource.Scrape> type() {
    return MetricSource.Scrape.class;
  }

  @Override
  public Optional<Sample> instant(MetricSource.Scrape source, MetricRequest request, Instant at) {
    return instant(source, request, at, clock.instant().minus(ScrapedEndpoint.REUSE));
  }

  @Override
  public Optional<Sample> instant(MetricSource.Scrape source, MetricRequest request, Instant at, Instant readSince) {
    return endpoint(source).latest(request, readSince);
  }

  @Override
  public List<Sample> range(
      MetricSource.Scrape source, MetricRequest request, Instant end, Duration window, Duration step) {
    return range(source, request, end, window, step, clock.instant().minus(ScrapedEndpoint.REUSE));
  }

  @Override
  public List<Sample> range(
      MetricSource.Scrape source, MetricRequest request, Instant end, Duration window, Duration step, Instant readSince) {
    return endpoint(source).since(request, end.minus(window), readSince);
  }

  /** How many times the endpoints were fetched, all of them together. */
  public long scrapes() {
    return endpoints.values().stream().mapToLong(ScrapedEndpoint::scrapes).sum();
  }

  private ScrapedEndpoint endpoint(MetricSource.Scrape source) {
    String url = source.url();
    if (url == null || url.isBlank()) throw MetricQueryException.badQuery("the scrape source has no url");
    return endpoints.computeIfAbsent(url, u -> new ScrapedEndpoint(u, http, timeout, clock));
  }
}
