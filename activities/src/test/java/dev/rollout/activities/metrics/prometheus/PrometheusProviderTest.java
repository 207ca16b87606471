package dev.rollout.activities.metrics.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.activities.gates.Sample;
import dev.rollout.activities.metrics.FakeHttpServer.Reply;
import dev.rollout.activities.metrics.FakeHttpServer;
import dev.rollout.activities.metrics.MetricQueryException;
import dev.rollout.activities.metrics.MetricRequest;
import dev.rollout.plan.MetricSource;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Against a fake Prometheus answering what the real one answers (its HTTP API's JSON). */
class PrometheusProviderTest {
  static final Instant NOW = Instant.parse("2026-01-05T02:00:00Z");
  static final MetricRequest ERRORS = new MetricRequest("error_rate", "sum(rate(errors{service=\"api\"}[1m]))");

  static Reader provider(FakeHttpServer server) {
    return new Reader(new MetricSource.Prometheus(server.url()),
        new PrometheusProvider(HttpClient.newHttpClient(), Duration.ofSeconds(2), 3));
  }

  /** The provider asked about one source, at {@link #NOW}. */
  record Reader(MetricSource.Prometheus source, PrometheusProvider provider) {
    Optional<Sample> instant(MetricRequest request) {
      return provider.instant(source, request, NOW);
    }

    List<Sample> range(MetricRequest request, Duration window, Duration step) {
      return provider.range(source, request, NOW, window, step);
    }
  }

  @Test
  void readsTheValueOfAnInstantQuery() {
    String body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
        + "\"value\":[1767578400.5,\"0.0125\"]}]}}";
    try (FakeHttpServer server = new FakeHttpServer(uri -> new Reply(200, body))) {
      assertThat(provider(server).instant(ERRORS))
          .contains(new Sample(Instant.parse("2026-01-05T02:00:00.500Z"), 0.0125));
      String sent = URLDecoder.decode(server.requests.get(0).getRawQuery(), StandardCharsets.UTF_8);
      assertThat(server.requests.get(0).getPath()).isEqualTo("/api/v1/query");
      assertThat(sent).contains("query=sum(rate(errors{service=\"api\"}[1m]))").contains("time=1767578400.000");
    }
  }

  @Test
  void readsEverySampleOfARangeQuery() {
    String body = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},"
        + "\"values\":[[1767578280,\"0.02\"],[1767578340,\"NaN\"],[1767578400,\"+Inf\"]]}]}}";
    try (FakeHttpServer server = new FakeHttpServer(uri -> new Reply(200, body))) {
      var samples = provider(server).range(ERRORS, Duration.ofMinutes(2), Duration.ofMinutes(1));
      assertThat(samples).extracting(Sample::value).containsExactly(0.02, Double.NaN, Double.POSITIVE_INFINITY);
      String sent = URLDecoder.decode(server.requests.get(0).getRawQuery(), StandardCharsets.UTF_8);
      assertThat(server.requests.get(0).getPath()).isEqualTo("/api/v1/query_range");
      assertThat(sent).contains("start=1767578280.000").contains("end=1767578400.000").contains("step=60.000");
    }
  }

  @Test
  void anEmptyResultIsNoData() {
    String body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}";
    try (FakeHttpServer server = new FakeHttpServer(uri -> new Reply(200, body))) {
      assertThat(provider(server).instant(ERRORS)).isEmpty();
    }
  }

  @Test
  void aRejectedQueryCarriesPrometheusMessageAndIsNotRetried() {
    String body = "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"query\\\": "
        + "1:6: parse error: unexpected end of input\"}";
    try (FakeHttpServer server = new FakeHttpServer(uri -> new Reply(400, body))) {
      assertThatThrownBy(() -> provider(server).instant(ERRORS))
          .isInstanceOf(MetricQueryException.class)
          .hasMessageContaining("Prometheus rejected the query `sum(rate(errors{service=\"api\"}[1m]))`")
          .hasMessageContaining("bad_data: invalid parameter \"query\": 1:6: parse error: unexpected end of input")
          .matches(e -> ((MetricQueryException) e).badQuery());
      assertThat(server.requests).hasSize(1);
    }
  }

  @Test
  void severalSeriesAskForAnAggregation() {
    String body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + "{\"metric\":{\"instance\":\"a\"},\"value\":[1767578400,\"1\"]},"
        + "{\"metric\":{\"instance\":\"b\"},\"value\":[1767578400,\"2\"]}]}}";
    try (FakeHttpServer server = new FakeHttpServer(uri -> new Reply(200, body))) {
      assertThatThrownBy(() -> provider(server).instant(ERRORS))
          .hasMessageContaining("returns 2 series").hasMessageContaining("sum(), max() or avg()");
    }
  }

  @Test
  void anOverloadedPrometheusIsAskedAgain() {
    AtomicInteger calls = new AtomicInteger();
    String ok = "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1767578400,\"3\"]}}";
    try (FakeHttpServer server = new FakeHttpServer(uri -> calls.incrementAndGet() < 3
        ? new Reply(503, "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"too many queries\"}")
        : new Reply(200, ok))) {
      assertThat(provider(server).instant(ERRORS)).map(Sample::value).contains(3.0);
      assertThat(calls).hasValue(3);
    }
  }

  @Test
  void anUnreachablePrometheusIsUnavailableAfterItsAttempts() {
    FakeHttpServer server = new FakeHttpServer(uri -> new Reply(200, ""));
    String url = server.url();
    server.close();
    Reader provider = new Reader(new MetricSource.Prometheus(url),
        new PrometheusProvider(HttpClient.newHttpClient(), Duration.ofSeconds(1), 2));
    assertThatThrownBy(() -> provider.instant(ERRORS))
        .isInstanceOf(MetricQueryException.class)
        .hasMessageContaining("Prometheus at " + url + " did not answer /api/v1/query (2 attempts")
        .matches(e -> !((MetricQueryException) e).badQuery());
  }
}
