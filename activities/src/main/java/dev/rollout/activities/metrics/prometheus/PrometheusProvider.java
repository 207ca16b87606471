package dev.rollout.activities.metrics.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollout.activities.gates.Sample;
import dev.rollout.activities.metrics.MetricProvider;
import dev.rollout.activities.metrics.MetricQueryException;
import dev.rollout.activities.metrics.MetricRequest;
import dev.rollout.plan.MetricSource;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Instant ({@code /api/v1/query}) and range ({@code /api/v1/query_range}) PromQL queries, each at
 * the moment asked for, against the Prometheus of each source (one client per URL).
 */
public class PrometheusProvider implements MetricProvider<MetricSource.Prometheus> {
  private final HttpClient http;
  private final Duration timeout;
  private final int attempts;
  private final Map<String, PrometheusClient> clients = new ConcurrentHashMap<>();

  /**
   * @param timeout how long one HTTP request may take
   * @param attempts how many times an unanswered request is tried before giving up
   */
  public PrometheusProvider(HttpClient http, Duration timeout, int attempts) {
    this.http = http;
    this.timeout = timeout;
    this.attempts = attempts;
  }

  @Override
  public Class<MetricSource.Prometheus> type() {
    return MetricSource.Prometheus.class;
  }

  @Override
  public Optional<Sample> instant(MetricSource.Prometheus source, MetricRequest request, Instant at) {
    JsonNode data = client(source).get("/api/v1/query", Map.of("query", request.query(), "time", seconds(at)));
    String type = data.path("resultType").asText();
    if (type.equals("scalar")) return Optional.of(sample(data.path("result")));
    JsonNode series = only(data.path("result"), request);
    return series == null ? Optional.empty() : Optional.of(sample(series.path("value")));
  }

  @Override
  public List<Sample> range(
      MetricSource.Prometheus source, MetricRequest request, Instant end, Duration window, Duration step) {
    JsonNode data = client(source).get("/api/v1/query_range", Map.of(
        "query", request.query(),
        "start", seconds(end.minus(window)),
        "end", seconds(end),
        "step", seconds(step)));
    JsonNode series = only(data.path("result"), request);
    if (series == null) return List.of();
    List<Sample> samples = new ArrayList<>();
    series.path("values").forEach(pair -> samples.add(sample(pair)));
    return samples;
  }

  private PrometheusClient client(MetricSource.Prometheus source) {
    String url = source.url();
    if (url == null || url.isBlank()) throw MetricQueryException.badQuery("the prometheus source has no url");
    return clients.computeIfAbsent(url, u -> new PrometheusClient(u, http, timeout, attempts));
  }

  /** The single series a gate reads, or null when there is none; several is the plan's mistake. */
  private static JsonNode only(JsonNode result, MetricRequest request) {
    if (result.size() == 0) return null;
    if (result.size() > 1) {
      throw MetricQueryException.badQuery("metric '" + request.metric() + "': the query `" + request.query()
          + "` returns " + result.size() + " series (e.g. " + result.get(0).path("metric") + " and "
          + result.get(1).path("metric") + "); a gate needs one: aggregate it with sum(), max() or avg()");
    }
    return result.get(0);
  }

  /** A {@code [<unix seconds>, "<value>"]} pair. */
  private static Sample sample(JsonNode pair) {
    long millis = Math.round(pair.get(0).asDouble() * 1000);
    return new Sample(Instant.ofEpochMilli(millis), value(pair.get(1).asText()));
  }

  static double value(String text) {
    return switch (text) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  private static String seconds(Instant t) {
    return String.format(Locale.ROOT, "%.3f", t.toEpochMilli() / 1000.0);
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.3f", d.toMillis() / 1000.0);
  }
}
