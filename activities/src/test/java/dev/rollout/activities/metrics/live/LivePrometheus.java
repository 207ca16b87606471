package dev.rollout.activities.metrics.live;

import dev.rollout.activities.gates.Sample;
import dev.rollout.activities.metrics.MetricProviders;
import dev.rollout.activities.metrics.MetricRequest;
import dev.rollout.activities.metrics.Poll;
import dev.rollout.activities.metrics.prometheus.PrometheusProvider;
import dev.rollout.plan.MetricSource;
import dev.rollout.plan.Target;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The real Prometheus from {@code scripts/services.sh up}, found through its settings (environment
 * variables, else {@code /tmp/rollout-services/env}). Missing means the test FAILS, saying how to start it.
 */
public final class LivePrometheus {
  public static final String ERROR_RATE = "sum(rate(demo_requests_total{service=\"${service}\",outcome=\"error\"}[5s]))"
      + " / sum(rate(demo_requests_total{service=\"${service}\"}[5s]))";
  public static final String P95_STABLE = "histogram_quantile(0.95, sum by (le)"
      + "(rate(demo_latency_seconds_bucket{service=\"${service}\",track=\"stable\"}[5s])))";
  public static final String P95_CANARY = "histogram_quantile(0.95, sum by (le)"
      + "(rate(demo_latency_seconds_bucket{service=\"${service}\",track=\"canary\"}[5s])))";
  public static final String P95 = P95_STABLE;

  public final String url;
  public final int scrapePort;
  public final MetricSource source;
  private final PrometheusProvider provider;

  private LivePrometheus(String url, int scrapePort) {
    this.url = url;
    this.scrapePort = scrapePort;
    this.source = new MetricSource.Prometheus(url);
    this.provider = new PrometheusProvider(HttpClient.newHttpClient(), Duration.ofSeconds(2), 1);
  }

  public static LivePrometheus require() {
    Map<String, String> settings = settings();
    String port = settings.getOrDefault("ROLLOUT_PROMETHEUS_PORT", "59090");
    String url = "http://127.0.0.1:" + port;
    try {
      HttpResponse<String> ready = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(url + "/-/ready")).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (ready.statusCode() != 200) throw new AssertionError("Prometheus at " + url + " is not ready: " + ready.body());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("Prometheus is not running at " + url + ": start it with `scripts/services.sh up`", e);
    }
    return new LivePrometheus(url, Integer.parseInt(settings.getOrDefault("ROLLOUT_SCRAPE_TARGET_PORT", "58091")));
  }

  public MetricProviders providers() {
    return MetricProviders.standard(Duration.ofSeconds(2), 2, Clock.systemUTC());
  }

  /** The query's value now, labels filled for {@code service}. */
  public Optional<Double> value(String query, String service) {
    return provider.instant((MetricSource.Prometheus) source, new MetricRequest("probe", query.replace("${service}", service)),
            Instant.now())
        .map(Sample::value).filter(v -> !Double.isNaN(v));
  }

  /** How many samples of the query Prometheus has over the last {@code window}, one a second. */
  public int samples(String query, String service, Duration window) {
    return provider.range((MetricSource.Prometheus) source, new MetricRequest("probe", query.replace("${service}", service)),
            Instant.now(), window, Duration.ofSeconds(1))
        .size();
  }

  /** Polls until the query's value for {@code service} passes {@code test}. */
  public void awaitValue(String query, String service, Predicate<Double> test, Duration within) {
    Poll.until(() -> value(query, service).filter(test), Optional::isPresent, within);
  }

  /**
   * Starts the switchable service for {@code target} on the port Prometheus scrapes, and waits until
   * Prometheus answers its error rate: the first scrapes take seconds to become queryable, and a
   * rate needs two of them.
   */
  public SwitchableService serve(Target target) {
    SwitchableService service = bind(target);
    try {
      awaitValue(ERROR_RATE, target.service(), v -> true, Duration.ofSeconds(30));
    } catch (AssertionError e) {
      service.close();
      throw e;
    }
    return service;
  }

  /**
   * The service on the scrape port, asking again for up to 10 s while the port is taken: the
   * previous test's service releases it a moment after its close returns.
   */
  private SwitchableService bind(Target target) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try {
        return new SwitchableService(scrapePort, target.service());
      } catch (java.io.UncheckedIOException taken) {
        if (System.nanoTime() > deadline) throw taken;
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw taken;
        }
      }
    }
  }

  private static Map<String, String> settings() {
    Map<String, String> settings = new HashMap<>();
    Path file = Path.of(System.getenv().getOrDefault("ROLLOUT_SERVICES_DIR", "/tmp/rollout-services"), "env");
    if (Files.exists(file)) {
      try {
        for (String line : Files.readAllLines(file)) {
          int eq = line.indexOf('=');
          if (eq > 0) settings.put(line.substring(0, eq), line.substring(eq + 1));
        }
      } catch (IOException e) {
        throw new AssertionError("cannot read " + file, e);
      }
    }
    System.getenv().forEach((k, v) -> { if (k.startsWith("ROLLOUT_")) settings.put(k, v); });
    return settings;
  }
}
