package dev.rollout.activities.metrics.scrape;

import dev.rollout.activities.metrics.MetricProvider;
import dev.rollout.activities.metrics.MetricQueryException;
import dev.rollout.activities.metrics.MetricRequest;
import dev.rollout.activities.metrics.Sample;
import dev.rollout.activities.support.Urls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads a Prometheus-format endpoint ({@code /metrics}, {@code /actuator/prometheus}) directly and
 * keeps the scrapes in memory, indexed: a demo or a single service needs no Prometheus, and one
 * endpoint serving thousands of services is read once per check interval for all of them (the
 * watch scheduler reads every query of one source and interval from the same scrape), each query
 * then answered by an index lookup.
 */
public class ScrapeProvider implements MetricProvider {
  /** Two reads this close apart share one scrape. */
  private static final Duration REUSE = Duration.ofMillis(100);
  /** Parsed queries kept; beyond it the cache starts again (queries come and go with rollouts). */
  private static final int MAX_QUERIES = 100_000;
  /** About 60 MB of parsed lines at most: 2 h of a small endpoint, minutes of one serving 10,000 services. */
  static final long MAX_LINES = 200_000;

  private final URI url;
  private final HttpClient http;
  private final Duration timeout;
  private final Clock clock;
  private final Set<String> wanted = ConcurrentHashMap.newKeySet();
  private final Map<String, ScrapeQuery> queries = new ConcurrentHashMap<>();
  private final SampleHistory history = new SampleHistory(Duration.ofHours(2), 7200, MAX_LINES);
  private final AtomicLong scrapes = new AtomicLong();
  /** The last scrape that failed, so the queries that share its visit fail without asking again. */
  private Failure failed;

  private record Failure(Instant at, MetricQueryException error) {}

  public ScrapeProvider(String url, HttpClient http, Duration timeout, Clock clock) {
    if (url == null || url.isBlank()) throw MetricQueryException.badQuery("the scrape source has no url");
    this.url = URI.create(url);
    this.http = http;
    this.timeout = timeout;
    this.clock = clock;
  }

  @Override
  public Optional<Sample> instant(MetricRequest request) {
    return instant(request, clock.instant().minus(REUSE));
  }

  @Override
  public Optional<Sample> instant(MetricRequest request, Instant readSince) {
    ScrapeQuery query = prepare(request, readSince);
    List<Sample> latest = history.evaluate(query, history.lastAt());
    return latest.isEmpty() ? Optional.empty() : Optional.of(latest.get(latest.size() - 1));
  }

  @Override
  public List<Sample> range(MetricRequest request, Duration window, Duration step) {
    return range(request, window, step, clock.instant().minus(REUSE));
  }

  @Override
  public List<Sample> range(MetricRequest request, Duration window, Duration step, Instant readSince) {
    ScrapeQuery query = prepare(request, readSince);
    return history.evaluate(query, clock.instant().minus(window));
  }

  /** How many times the endpoint was fetched. */
  public long scrapes() {
    return scrapes.get();
  }

  private ScrapeQuery prepare(MetricRequest request, Instant readSince) {
    ScrapeQuery query = queries.get(request.query());
    if (query == null) {
      query = ScrapeQuery.parse(request.query());
      if (queries.size() >= MAX_QUERIES) queries.clear();
      queries.put(request.query(), query);
    }
    // A name no scrape kept yet needs a scrape of its own: the earlier ones left its lines out.
    boolean newName = wanted.addAll(query.names());
    scrapeUnlessReadSince(readSince, newName);
    return query;
  }

  private synchronized void scrapeUnlessReadSince(Instant since, boolean newName) {
    if (!newName && !history.lastAt().isBefore(since)) return;
    if (!newName && failed != null && !failed.at().isBefore(since)) throw failed.error();
    Instant now = clock.instant();
    try {
      String body = fetch();
      List<Exposition.Line> lines;
      try {
        lines = Exposition.parse(body).stream().filter(l -> wanted.contains(l.name())).toList();
      } catch (IllegalArgumentException e) {
        throw MetricQueryException.badQuery(Urls.shown(url) + " does not serve Prometheus text format (" + e.getMessage() + ")");
      }
      history.add(new SampleHistory.Scrape(now, lines));
      failed = null;
    } catch (MetricQueryException e) {
      failed = new Failure(now, e);
      throw e;
    } finally {
      scrapes.incrementAndGet();
    }
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
