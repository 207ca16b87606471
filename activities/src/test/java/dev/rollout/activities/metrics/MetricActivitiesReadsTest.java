package dev.rollout.activities.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.activities.MetricActivities.BoundGate;
import dev.rollout.activities.MetricActivities.BoundMetric;
import dev.rollout.activities.MetricActivities.GateResult;
import dev.rollout.activities.MetricActivities.JudgeResult;
import dev.rollout.activities.MetricActivities.Verdict;
import dev.rollout.activities.MetricActivities.WatchResult;
import dev.rollout.activities.metrics.FakeHttpServer.Reply;
import dev.rollout.plan.Baseline;
import dev.rollout.plan.CanaryAnalysis;
import dev.rollout.plan.CanaryAnalysis.JudgeMetric;
import dev.rollout.plan.Comparison;
import dev.rollout.plan.Gate;
import dev.rollout.plan.MetricQuery;
import dev.rollout.plan.MetricSource;
import dev.rollout.plan.NoDataAction;
import dev.rollout.plan.Quantity;
import dev.rollout.plan.Target;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Baselines, acceptance gates, judgements and failed reads, against a fake Prometheus and scripted values. */
class MetricActivitiesReadsTest {
  static final Target TARGET = new Target("checkout", "production");
  static final String P99 = "histogram_quantile(0.99, sum by (le)(rate(http_seconds_bucket{service=\"${service}\"}[5m])))";

  static String vector(String value) {
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1767578400,\""
        + value + "\"]}]}}";
  }

  static String query(URI uri) {
    return URLDecoder.decode(uri.getRawQuery(), StandardCharsets.UTF_8);
  }

  static MetricActivitiesImpl activities(FakeHttpServer prometheus) {
    return new MetricActivitiesImpl(MetricProviders.standard(Duration.ofSeconds(1), 2, Clock.systemUTC()), Clock.systemUTC());
  }

  static BoundMetric p99(FakeHttpServer prometheus) {
    return new BoundMetric("p99_latency", new MetricQuery("prom", P99, "s", null), new MetricSource.Prometheus(prometheus.url()));
  }

  static Gate gate(String threshold, Baseline relative) {
    return new Gate("p99", "p99_latency", Comparison.LT, Quantity.parse(threshold), null, relative, null, NoDataAction.HOLD);
  }

  @Test
  void capturesABaselineWithTheRolloutsLabelsSubstituted() {
    try (FakeHttpServer prometheus = new FakeHttpServer(uri -> new Reply(200, vector("0.2")))) {
      Map<String, Double> baseline = activities(prometheus).baseline("r1", TARGET, List.of(p99(prometheus)));
      assertThat(baseline).containsExactly(Map.entry("p99_latency", 0.2));
      assertThat(query(prometheus.requests.get(0))).contains("http_seconds_bucket{service=\"checkout\"}");
    }
  }

  @Test
  void evaluatesAcceptanceGatesAbsoluteAndRelative() {
    try (FakeHttpServer prometheus = new FakeHttpServer(uri -> new Reply(200, vector("0.23")))) {
      BoundMetric m = p99(prometheus);
      List<GateResult> results = activities(prometheus).evaluate("r1", TARGET, List.of(
          new BoundGate(gate("200ms", null), m, null),
          new BoundGate(gate("20%", Baseline.BASELINE), m, 0.2)));
      assertThat(results).extracting(GateResult::verdict).containsExactly(Verdict.FAIL, Verdict.PASS);
      assertThat(results.get(1).threshold()).isEqualTo("< 0.24s (baseline 0.2s +20%)");
      assertThat(results.get(0).detail()).isEqualTo("p99_latency = 230ms not < 200ms");
    }
  }

  @Test
  void aRejectedQueryBecomesAnInconclusiveGateWithPrometheusMessage() {
    String error = "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"unknown function with name \\\"histogram_quantil\\\"\"}";
    try (FakeHttpServer prometheus = new FakeHttpServer(uri -> new Reply(400, error))) {
      List<GateResult> results =
          activities(prometheus).evaluate("r1", TARGET, List.of(new BoundGate(gate("200ms", null), p99(prometheus), null)));
      assertThat(results.get(0).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
      assertThat(results.get(0).detail()).contains("unknown function with name \"histogram_quantil\"");
      assertThatThrownBy(() -> activities(prometheus).baseline("r1", TARGET, List.of(p99(prometheus))))
          .isInstanceOf(ApplicationFailure.class)
          .hasMessageContaining("metric 'p99_latency': Prometheus rejected the query")
          .matches(e -> ((ApplicationFailure) e).isNonRetryable());
    }
  }

  @Test
  void aWatchedSourceThatStopsAnsweringHoldsOnlyAfterSeveralFailedReads() {
    AtomicInteger calls = new AtomicInteger();
    try (FakeHttpServer prometheus = new FakeHttpServer(uri -> {
      calls.incrementAndGet();
      return new Reply(503, "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"shutting down\"}");
    })) {
      Gate trigger = new Gate("p99-up", "p99_latency", Comparison.GT, Quantity.parse("1s"), null, null,
          Duration.ofMillis(50), NoDataAction.FAIL);
      WatchResult result;
      try (WatchHarness harness = new WatchHarness(MetricProviders.standard(Duration.ofSeconds(1), 1, Clock.systemUTC()))) {
        result = harness.activities()
            .watch("r1", TARGET, List.of(new BoundGate(trigger, p99(prometheus), null)), Duration.ofMinutes(1));
      }
      assertThat(result.fired().verdict()).isEqualTo(Verdict.INCONCLUSIVE);
      assertThat(result.fired().detail()).contains("shutting down").contains("4 failed reads in a row");
      assertThat(calls).hasValue(TriggerWatcher.ERROR_LIMIT);
    }
  }

  @Test
  void judgesCanaryAgainstBaselineFromRangeQueries() {
    // canary samples are ~8 % slower than the baseline's (the latencies MannWhitneyTest checks with SciPy)
    Function<URI, Reply> answer = uri -> {
      boolean canary = query(uri).contains("canary");
      double[] values = canary ? CanaryJudgeFixture.SLOWER : CanaryJudgeFixture.NORMAL;
      StringBuilder pairs = new StringBuilder();
      for (int i = 0; i < values.length; i++) pairs.append(i == 0 ? "" : ",").append("[").append(1767578400 + i).append(",\"").append(values[i]).append("\"]");
      return new Reply(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":[" + pairs + "]}]}}");
    };
    try (FakeHttpServer prometheus = new FakeHttpServer(answer)) {
      MetricSource source = new MetricSource.Prometheus(prometheus.url());
      Map<String, BoundMetric> metrics = Map.of(
          "p99_canary", new BoundMetric("p99_canary", new MetricQuery("prom", "p99{track=\"canary\"}", "ms", null), source),
          "p99_stable", new BoundMetric("p99_stable", new MetricQuery("prom", "p99{track=\"stable\"}", "ms", null), source));
      CanaryAnalysis analysis = new CanaryAnalysis(
          List.of(new JudgeMetric("p99", "p99_canary", "p99_stable", "increase", 0.05, true)), null, Duration.ofMinutes(10), null, null, null);
      JudgeResult result = activities(prometheus).judge("r1", TARGET, analysis, metrics);
      assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
      assertThat(result.metrics().get(0).classification()).isEqualTo("High");
      assertThat(result.metrics().get(0).pValue()).isLessThan(0.02);
      assertThat(query(prometheus.requests.get(0))).contains("step=5.000");
    }
  }
}
