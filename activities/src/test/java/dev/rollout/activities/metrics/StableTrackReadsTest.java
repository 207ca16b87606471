package dev.rollout.activities.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.activities.MetricActivities.BoundGate;
import dev.rollout.activities.MetricActivities.BoundMetric;
import dev.rollout.activities.MetricActivities.GateResult;
import dev.rollout.activities.MetricActivities.Verdict;
import dev.rollout.activities.gates.GateCondition;
import dev.rollout.activities.metrics.FakeHttpServer.Reply;
import dev.rollout.plan.Baseline;
import dev.rollout.plan.Comparison;
import dev.rollout.plan.Gate;
import dev.rollout.plan.MetricQuery;
import dev.rollout.plan.MetricSource;
import dev.rollout.plan.NoDataAction;
import dev.rollout.plan.Quantity;
import dev.rollout.plan.Target;
import dev.rollout.plan.Tracks;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A gate relative to the stable track: both series read in one call, for the same moment or window. */
class StableTrackReadsTest {
  static final Target TARGET = new Target("checkout", "production");
  static final String P95 = "histogram_quantile(0.95, sum by (le)"
      + "(rate(http_seconds_bucket{service=\"${service}\",version=\"${track}\"}[1m])))";
  static final Pattern PARAM = Pattern.compile("(time|start|end)=([0-9.]+)");

  /** Prometheus answering 0.065 s for the canary (v2) and 0.050 s for the stable (v1). */
  static Reply answer(URI uri, boolean range) {
    String q = MetricActivitiesReadsTest.query(uri);
    String value = q.contains("version=\"v2\"") ? "0.065" : "0.050";
    if (!range) return new Reply(200, MetricActivitiesReadsTest.vector(value));
    StringBuilder pairs = new StringBuilder();
    for (int i = 0; i <= 60; i++) pairs.append(i == 0 ? "" : ",").append("[").append(1767578340 + i).append(",\"").append(value).append("\"]");
    return new Reply(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":["
        + pairs + "]}]}}");
  }

  static BoundMetric p95(FakeHttpServer prometheus) {
    return new BoundMetric("p95_latency", new MetricQuery("prom", P95, "s", null, new Tracks("v2", "v1")),
        new MetricSource.Prometheus(prometheus.url()));
  }

  static Gate gate(Duration sustain) {
    return new Gate("p95 vs stable", "p95_latency", Comparison.LT, Quantity.parse("10%"), sustain, Baseline.STABLE,
        Duration.ofSeconds(10), NoDataAction.FAIL);
  }

  static MetricActivitiesImpl activities() {
    return new MetricActivitiesImpl(MetricProviders.standard(Duration.ofSeconds(5), 1, Clock.systemUTC()), Clock.systemUTC());
  }

  static Map<String, String> times(URI uri) {
    Map<String, String> found = new java.util.TreeMap<>();
    Matcher m = PARAM.matcher(MetricActivitiesReadsTest.query(uri));
    while (m.find()) found.put(m.group(1), m.group(2));
    return found;
  }

  @Test
  void readsTheCanaryAndTheStableForTheSameMomentAndComparesThem() {
    try (FakeHttpServer prometheus = new FakeHttpServer(uri -> answer(uri, false))) {
      List<GateResult> results =
          activities().evaluate("r1", TARGET, List.of(new BoundGate(gate(null), p95(prometheus), null)));

      assertThat(results.get(0).verdict()).as(results.get(0).detail()).isEqualTo(Verdict.FAIL);
      assertThat(results.get(0).detail()).isEqualTo("p95_latency = 0.065s not < 0.055s (stable 0.05s +10%)");
      assertThat(prometheus.requests).hasSize(2);
      assertThat(MetricActivitiesReadsTest.query(prometheus.requests.get(0))).contains("version=\"v2\"");
      assertThat(MetricActivitiesReadsTest.query(prometheus.requests.get(1))).contains("version=\"v1\"");
      assertThat(times(prometheus.requests.get(0))).isEqualTo(times(prometheus.requests.get(1))).containsKey("time");
    }
  }

  @Test
  void aSustainedGateReadsBothTracksOverTheSameWindow() {
    try (FakeHttpServer prometheus = new FakeHttpServer(uri -> answer(uri, true))) {
      List<GateResult> results = activities().evaluate("r1", TARGET,
          List.of(new BoundGate(gate(Duration.ofMinutes(1)), p95(prometheus), null)));

      assertThat(results.get(0).verdict()).as(results.get(0).detail()).isEqualTo(Verdict.FAIL);
      assertThat(results.get(0).detail()).contains("at 0 of 61 samples over 1m");
      assertThat(prometheus.requests).hasSize(2);
      assertThat(times(prometheus.requests.get(0))).isEqualTo(times(prometheus.requests.get(1)))
          .containsKeys("start", "end");
    }
  }

  @Test
  void theBaselineOfATrackedMetricIsTheStablesValue() {
    try (FakeHttpServer prometheus = new FakeHttpServer(uri -> answer(uri, false))) {
      Map<String, Double> baseline = activities().baseline("r1", TARGET, List.of(p95(prometheus)));

      assertThat(baseline).containsExactly(Map.entry("p95_latency", 0.050));
      assertThat(MetricActivitiesReadsTest.query(prometheus.requests.get(0))).contains("version=\"v1\"");
    }
  }

  @Test
  void anAbsoluteGateOnATrackedMetricReadsTheCanary() {
    try (FakeHttpServer prometheus = new FakeHttpServer(uri -> answer(uri, false))) {
      Gate absolute = new Gate("p95", "p95_latency", Comparison.LT, Quantity.parse("60ms"), null, null, null, null);
      List<GateResult> results = activities().evaluate("r1", TARGET, List.of(new BoundGate(absolute, p95(prometheus), null)));

      assertThat(results.get(0).detail()).isEqualTo("p95_latency = 65ms not < 60ms");
      assertThat(prometheus.requests).hasSize(1);
    }
  }

  @Test
  void aStableGateOnAMetricWithoutTracksIsInconclusiveNamingTheMetric() {
    try (FakeHttpServer prometheus = new FakeHttpServer(uri -> answer(uri, false))) {
      BoundMetric untracked = new BoundMetric("p95_latency", new MetricQuery("prom", "p95", "s", null),
          new MetricSource.Prometheus(prometheus.url()));
      List<GateResult> results = activities().evaluate("r1", TARGET, List.of(new BoundGate(gate(null), untracked, null)));

      assertThat(results.get(0).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
      assertThat(results.get(0).detail()).contains("metric 'p95_latency' declares no tracks");
      assertThat(prometheus.requests).isEmpty();
    }
  }

  @Test
  void onAScrapedEndpointBothTracksOfEveryServiceReadAtOneTickComeFromOneVisit() {
    String page = "# TYPE latency_seconds gauge\n"
        + "latency_seconds{service=\"checkout\",version=\"v2\"} 0.065\n"
        + "latency_seconds{service=\"checkout\",version=\"v1\"} 0.050\n"
        + "latency_seconds{service=\"cart\",version=\"v2\"} 0.051\n"
        + "latency_seconds{service=\"cart\",version=\"v1\"} 0.050\n";
    try (FakeHttpServer endpoint = new FakeHttpServer(uri -> new Reply(200, page))) {
      MutableClock clock = new MutableClock(Instant.parse("2026-01-05T02:00:00Z"));
      GateChecker checker = new GateChecker(MetricProviders.standard(Duration.ofSeconds(5), 1, clock), clock);
      BoundMetric latency = new BoundMetric("p95_latency", new MetricQuery("scrape",
          "latency_seconds{service=\"${service}\",version=\"${track}\"}", "s", null, new Tracks("v2", "v1")),
          new MetricSource.Scrape(endpoint.url() + "/metrics"));
      BoundGate gate = new BoundGate(gate(null), latency, null);
      Instant tick = clock.instant();

      var checkout = checker.read(checker.keyOf(gate, TARGET), tick);
      clock.advance(Duration.ofMillis(300)); // later in the same tick: still its one visit
      var cart = checker.read(checker.keyOf(gate, new Target("cart", "production")), tick);

      assertThat(endpoint.requests).hasSize(1);
      assertThat(checker.judge(gate, checkout).detail()).isEqualTo("p95_latency = 0.065s not < 0.055s (stable 0.05s +10%)");
      assertThat(checker.judge(gate, cart).outcome()).isEqualTo(GateCondition.Outcome.HOLDS);
      assertThat(checkout.latest().at()).isEqualTo(checkout.stableLatest().at()).isEqualTo(cart.stableLatest().at());
    }
  }
}
