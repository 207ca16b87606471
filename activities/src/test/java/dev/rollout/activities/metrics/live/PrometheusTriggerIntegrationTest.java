package dev.rollout.activities.metrics.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.activities.MetricActivities;
import dev.rollout.activities.MetricActivities.BoundGate;
import dev.rollout.activities.MetricActivities.BoundMetric;
import dev.rollout.activities.MetricActivities.GateResult;
import dev.rollout.activities.MetricActivities.Verdict;
import dev.rollout.activities.MetricActivities.WatchResult;
import dev.rollout.activities.metrics.Poll;
import dev.rollout.activities.metrics.WatchHarness;
import dev.rollout.plan.Comparison;
import dev.rollout.plan.Gate;
import dev.rollout.plan.MetricQuery;
import dev.rollout.plan.NoDataAction;
import dev.rollout.plan.Quantity;
import dev.rollout.plan.Target;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The trigger watcher against the real Prometheus scraping a service whose errors and latency we switch. */
@Tag("integration")
class PrometheusTriggerIntegrationTest {
  static final Duration SECOND = Duration.ofSeconds(1);

  LivePrometheus prometheus;
  SwitchableService service;
  Target target;
  WatchHarness harness;
  MetricActivities activities;

  @BeforeEach
  void start() {
    prometheus = LivePrometheus.require();
    target = new Target("svc-" + UUID.randomUUID().toString().substring(0, 8), "it");
    service = prometheus.serve(target);
    harness = new WatchHarness(prometheus.providers()).options(Duration.ofSeconds(5), 1);
    activities = harness.activities();
  }

  @AfterEach
  void stop() {
    if (harness != null) harness.close();
    if (service != null) service.close();
  }

  BoundMetric metric(String name, String query, String unit) {
    return new BoundMetric(name, new MetricQuery("prometheus", query, unit, null), prometheus.source);
  }

  BoundGate errorRateAbove1Percent() {
    Gate gate = new Gate("errors-up", "error_rate", Comparison.GT, Quantity.parse("1%"), null, null, SECOND, NoDataAction.PASS);
    return new BoundGate(gate, metric("error_rate", LivePrometheus.ERROR_RATE, ""), null);
  }

  @Test
  void firesAfterTheErrorRateIsSwitchedUp() {
    CompletableFuture<WatchResult> watch = CompletableFuture.supplyAsync(
        () -> activities.watch("it", target, List.of(errorRateAbove1Percent()), Duration.ofMinutes(1)));
    Poll.until(() -> harness.progress().map(p -> p.checks() >= 2).orElse(false), Duration.ofSeconds(30));
    assertThat(watch).isNotDone();
    long switched = System.nanoTime();
    service.errorRate(0.2);
    WatchResult result = watch.join();
    long fired = System.nanoTime();
    assertThat(result.fired().gate()).isEqualTo("errors-up");
    assertThat(result.fired().verdict()).isEqualTo(Verdict.FAIL);
    assertThat(result.fired().value()).isGreaterThan(0.01);
    System.out.printf("switch -> watcher fired: %d ms (%s)%n", (fired - switched) / 1_000_000, result.fired().detail());
  }

  @Test
  void keepsWatchingWhileTheErrorRateStaysLow() {
    service.errorRate(0.002);
    WatchResult result = activities.watch("it", target, List.of(errorRateAbove1Percent()), Duration.ofSeconds(5));
    assertThat(result.fired()).isNull();
    assertThat(result.checks()).isGreaterThanOrEqualTo(4);
    assertThat(result.last()).extracting(GateResult::verdict).containsExactly(Verdict.PASS);
    assertThat(result.last().get(0).value()).isLessThan(0.01);
  }

  @Test
  void aSustainedLatencyTriggerFiresOnlyOnceEverySampleOfItsWindowBreaches() {
    Gate gate = new Gate("slow", "p95", Comparison.GT, Quantity.parse("200ms"), Duration.ofSeconds(3), null, SECOND,
        NoDataAction.PASS);
    BoundGate slow = new BoundGate(gate, metric("p95", LivePrometheus.P95, "s"), null);
    service.latency(Duration.ofMillis(400));
    prometheus.awaitValue(LivePrometheus.P95, target.service(), v -> v > 0.2, Duration.ofSeconds(20));
    // The first check sees under 3 s of breach in its range query: it must not fire yet.
    WatchResult result = activities.watch("it", target, List.of(slow), Duration.ofMinutes(1));
    assertThat(result.fired().verdict()).isEqualTo(Verdict.FAIL);
    assertThat(result.fired().detail()).contains("> 200ms at all").contains("samples over 3s");
    assertThat(result.checks()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void acceptanceGatesReadTheRealPrometheusAndReportItsErrors() {
    service.latency(Duration.ofMillis(50));
    prometheus.awaitValue(LivePrometheus.P95, target.service(), v -> v < 0.2, Duration.ofSeconds(20));
    Gate fast = new Gate("p95-ok", "p95", Comparison.LT, Quantity.parse("200ms"), null, null, null, NoDataAction.FAIL);
    Gate broken = new Gate("broken", "broken", Comparison.LT, Quantity.parse("1"), null, null, null, NoDataAction.FAIL);
    List<GateResult> results = activities.evaluate("it", target, List.of(
        new BoundGate(fast, metric("p95", LivePrometheus.P95, "s"), null),
        new BoundGate(broken, metric("broken", "sum(rate(demo_requests_total[5s]", ""), null)));
    assertThat(results.get(0).verdict()).isEqualTo(Verdict.PASS);
    assertThat(results.get(1).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(results.get(1).detail()).contains("Prometheus rejected the query").contains("bad_data");
  }

}
