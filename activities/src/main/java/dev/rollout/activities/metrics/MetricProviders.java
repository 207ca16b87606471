package dev.rollout.activities.metrics;

import dev.rollout.activities.support.HttpClients;
import dev.rollout.activities.metrics.prometheus.PrometheusClient;
import dev.rollout.activities.metrics.prometheus.PrometheusProvider;
import dev.rollout.activities.metrics.scrape.ScrapeProvider;
import dev.rollout.activities.metrics.scripted.ScriptedProvider;
import dev.rollout.plan.MetricSource;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks the provider for a plan's metric source, one per source, kept for the worker's life: the
 * scrape provider's sample history must outlive a single activity call.
 */
public class MetricProviders {
  private final Map<MetricSource, MetricProvider> bySource = new ConcurrentHashMap<>();
  private final HttpClient http;
  private final Duration timeout;
  private final int attempts;
  private final Clock clock;

  /**
   * @param timeout how long one HTTP request may take
   * @param attempts how many times an unanswered request is tried before giving up
   */
  public MetricProviders(Duration timeout, int attempts, Clock clock) {
    this.http = HttpClients.newClient(timeout);
    this.timeout = timeout;
    this.attempts = attempts;
    this.clock = clock;
  }

  /** Five seconds a request, three tries: a blip is absorbed, a dead source is reported fast. */
  public static MetricProviders defaults() {
    return new MetricProviders(Duration.ofSeconds(5), 3, Clock.systemUTC());
  }

  /** Answers {@code source} with {@code provider}: rehearsals script values that change over time. */
  public MetricProviders register(MetricSource source, MetricProvider provider) {
    bySource.put(source, provider);
    return this;
  }

  public MetricProvider forSource(MetricSource source) {
    if (source == null) throw MetricQueryException.badQuery("the metric names no source");
    return bySource.computeIfAbsent(source, this::create);
  }

  private MetricProvider create(MetricSource source) {
    if (source instanceof MetricSource.Prometheus p) {
      return new PrometheusProvider(new PrometheusClient(p.url(), http, timeout, attempts), clock);
    }
    if (source instanceof MetricSource.Scrape s) {
      return new ScrapeProvider(s.url(), http, timeout, clock);
    }
    if (source instanceof MetricSource.Scripted s) {
      return new ScriptedProvider(s.values(), clock);
    }
    throw MetricQueryException.badQuery("unknown metric source " + source + " (known: " + MetricSource.TYPES + ")");
  }
}
