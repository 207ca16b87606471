package dev.rollout.activities.metrics.prometheus;

import dev.rollout.activities.support.Urls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollout.activities.metrics.MetricQueryException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Prometheus' HTTP API (GET {@code /api/v1/...}): timeouts, retries of unanswered or overloaded
 * requests, and Prometheus' own message when it rejects a query.
 */
public class PrometheusClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

  private final String url;
  private final HttpClient http;
  private final Duration timeout;
  private final int attempts;

  public PrometheusClient(String url, HttpClient http, Duration timeout, int attempts) {
    if (url == null || url.isBlank()) throw MetricQueryException.badQuery("the prometheus source has no url");
    this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.http = http;
    this.timeout = timeout;
    this.attempts = Math.max(1, attempts);
  }

  /** Calls {@code path} with {@code params} and returns the answer's {@code data}. */
  public JsonNode get(String path, Map<String, String> params) {
    URI uri = URI.create(url + path + "?" + params.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&")));
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    String lastProblem = null;
    Throwable lastCause = null;
    Duration backoff = FIRST_BACKOFF;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status == 200) return data(response.body(), params.get("query"));
        if (status == 400 || status == 422) throw rejected(response.body(), params.get("query"));
        if (status < 500 && status != 429) {
          throw MetricQueryException.badQuery("Prometheus at " + Urls.shown(url) + " answered HTTP " + status + " for " + path
              + ": is the source's url the Prometheus server's base url?");
        }
        lastProblem = "HTTP " + status + " " + message(response.body());
      } catch (IOException e) {
        lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        lastCause = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw MetricQueryException.unavailable("interrupted while asking Prometheus at " + Urls.shown(url), e);
      }
      if (attempt < attempts) pause(backoff);
      backoff = backoff.multipliedBy(2);
    }
    throw MetricQueryException.unavailable(
        "Prometheus at " + Urls.shown(url) + " did not answer " + path + " (" + attempts + " attempts, " + timeout.toMillis()
            + " ms each): " + lastProblem, lastCause);
  }

  private JsonNode data(String body, String query) {
    JsonNode root = parse(body);
    if (root == null || !"success".equals(root.path("status").asText())) throw rejected(body, query);
    return root.path("data");
  }

  private MetricQueryException rejected(String body, String query) {
    return MetricQueryException.badQuery("Prometheus rejected the query `" + query + "`: " + message(body));
  }

  private static String message(String body) {
    // Only Prometheus' own error fields, short: never an arbitrary body (the URL may not be Prometheus).
    JsonNode root = parse(body);
    if (root == null || !root.path("error").isTextual()) return "(not a Prometheus error answer)";
    String type = root.path("errorType").asText("");
    String error = root.path("error").asText();
    return (type.isEmpty() ? "" : type + ": ") + (error.length() > 200 ? error.substring(0, 200) + "…" : error);
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return url;
  }
}
