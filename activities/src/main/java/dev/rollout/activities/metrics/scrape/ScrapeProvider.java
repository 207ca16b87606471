package dev.rollout.activities.metrics.scrape;

import dev.rollout.activities.support.Urls;

import dev.rollout.activities.metrics.MetricProvider;
import dev.rollout.activities.metrics.MetricQueryException;
import dev.rollout.activities.metrics.MetricRequest;
import dev.rollout.activities.metrics.Sample;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a Prometheus-format endpoint ({@code /metrics}, {@code /actuator/prometheus}) directly, at
 * every query, and keeps the scrapes in memory: a demo or a single service needs no Prometheus.
 */
public class ScrapeProvider implements MetricProvider {
  /** Two checks this close apart share one scrape. */
  private static final Duration REUSE = Duration.ofMillis(100);

  private final URI url;
  private final HttpClient http;
  private final Duration timeout;
  private final Clock clock;
  private final Set<String> wanted = ConcurrentHashMap.newKeySet();
  /** About 60 MB of parsed lines at most: 2 h of a small endpoint, seconds of one serving 10,000 services. */
  static final long MAX_LINES = 200_000;

  private final SampleHistory history = new SampleHistory(Duration.ofHours(2), 7200, MAX_LINES);

  public ScrapeProvider(String url, HttpClient http, Duration timeout, Clock clock) {
    if (url == null || url.isBlank()) throw MetricQueryException.badQuery("the scrape source has no url");
    this.url = URI.create(url);
    this.http = http;
    this.timeout = timeout;
    this.clock = clock;
  }

  @Override
  public Optional<Sample> instant(MetricRequest request) {
    ScrapeQuery query = prepare(request);
    List<Sample> latest = history.evaluate(query, history.lastAt());
    return latest.isEmpty() ? Optional.empty() : Optional.of(latest.get(latest.size() - 1));
  }

  @Override
  public List<Sample> range(MetricRequest request, Duration window, Duration step) {
    ScrapeQuery query = prepare(request);
    return history.evaluate(query, clock.instant().minus(window));
  }

  private ScrapeQuery prepare(MetricRequest request) {
    ScrapeQuery query = ScrapeQuery.parse(request.query());
    wanted.addAll(query.names());
    scrapeIfStale();
    return query;
  }

  private synchronized void scrapeIfStale() {
    Instant now = clock.instant();
    if (history.lastAt().plus(REUSE).isAfter(now)) return;
    String body = fetch();
    List<Exposition.Line> lines;
    try {
      lines = Exposition.parse(body).stream().filter(l -> wanted.contains(l.name())).toList();
    } catch (IllegalArgumentException e) {
      throw MetricQueryException.badQuery(Urls.shown(url) + " does not serve Prometheus text format (" + e.getMessage() + ")");
    }
    history.add(new SampleHistory.Scrape(now, lines));
  }

  private String fetch() {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
        .header("Accept", "text/plain;version=0.0.4").GET().build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) return response.body();
      if (response.statusCode() == 404) throw MetricQueryException.badQuery(Urls.shown(url) + " answered 404: no metrics there");
      throw MetricQueryException.unavailable(Urls.shown(url) + " answered HTTP " + response.statusCode(), null);
    } catch (IOException e) {
      throw MetricQueryException.unavailable("cannot scrape " + Urls.shown(url) + ": " + e.getClass().getSimpleName(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw MetricQueryException.unavailable("interrupted while scraping " + Urls.shown(url), e);
    }
  }
}
