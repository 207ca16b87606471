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
import dev.rollout.plan.Baseline;
import dev.rollout.plan.Comparison;
import dev.rollout.plan.Gate;
import dev.rollout.plan.MetricQuery;
import dev.rollout.plan.NoDataAction;
import dev.rollout.plan.Quantity;
import dev.rollout.plan.Target;
import dev.rollout.plan.Tracks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code relativeTo: stable} on the real Prometheus: one query with {@code ${track}}, read for the
 * canary's and the stable's series of the same service at the same moment.
 */
@Tag("integration")
class StableTrackIntegrationTest {
  static final String P95_BY_TRACK = "histogram_quantile(0.95, sum by (le)"
      + "(rate(demo_latency_seconds_bucket{service=\"${service}\",track=\"${track}\"}[5s])))";
  static final Duration SECOND = Duration.ofSeconds(1);

  LivePrometheus prometheus;
  SwitchableService service;
  Target target;
  WatchHarness harness;
  MetricActivities activities;

  @BeforeEach
  void start() {
    prometheus = LivePrometheus.require();
    target = new Target("tracks-" + UUID.randomUUID().toString().substring(0, 8), "it");
    service = prometheus.serve(target);
    harness = new WatchHarness(prometheus.providers()).options(Duration.ofSeconds(5), 1);
    activities = harness.activities();
  }

  @AfterEach
  void stop() {
    if (harness != null) harness.close();
    if (service != null) service.close();
  }

  BoundMetric p95() {
    return new BoundMetric("p95_latency",
        new MetricQuery("prometheus", P95_BY_TRACK, "s", null, new Tracks("canary", "stable")), prometheus.source);
  }

  static Gate noSlowerThanStable() {
    return new Gate("p95 within 10% of stable", "p95_latency", Comparison.LT, Quantity.parse("10%"), null,
        Baseline.STABLE, null, NoDataAction.FAIL);
  }

  /** The canary's p95 over the stable's, read apart from the code under test (fixed track labels). */
  Optional<Double> ratio() {
    Optional<Double> canary = prometheus.value(LivePrometheus.P95_CANARY, target.service());
    Optional<Double> stable = prometheus.value(LivePrometheus.P95_STABLE, target.service());
    return canary.flatMap(c -> stable.map(s -> c / s));
  }

  /** Waits until both tracks' 5 s rate windows hold only requests of the latencies set. */
  void awaitTracks(double minRatio, double maxRatio, double minStableSeconds) {
    Poll.until(() -> ratio().filter(r -> r > minRatio && r < maxRatio)
            .flatMap(r -> prometheus.value(LivePrometheus.P95_STABLE, target.service()))
            .filter(s -> s > minStableSeconds),
        Optional::isPresent, Duration.ofSeconds(40));
  }

  @Test
  void aCanaryThirtyPercentSlowerThanTheStableAtTheSameMomentFailsTheGate() {
    // 30 % slower per request; the p95 Prometheus interpolates from its buckets comes out about 20 % higher
    service.latency(Duration.ofMillis(50));
    service.canaryLatency(Duration.ofMillis(65));
    awaitTracks(1.15, 1.5, 0.0);

    GateResult result = activities.evaluate("it", target, List.of(new BoundGate(noSlowerThanStable(), p95(), null))).get(0);

    assertThat(result.verdict()).as(result.detail()).isEqualTo(Verdict.FAIL);
    assertThat(result.detail()).contains("(stable ").contains("+10%)");
    System.out.println("canary 30 % slower: " + result.detail());
  }

  @Test
  void loadThatSlowsBothTracksPassesTheStableGateWhileTheBaselineGateFails() {
    service.latency(Duration.ofMillis(50));
    service.canaryLatency(Duration.ofMillis(50));
    awaitTracks(0.9, 1.1, 0.0);
    Map<String, Double> before = activities.baseline("it", target, List.of(p95()));
    assertThat(before).containsKey("p95_latency");

    // load: every request of both tracks now takes twice as long
    service.latency(Duration.ofMillis(100));
    service.canaryLatency(Duration.ofMillis(100));
    awaitTracks(0.9, 1.1, before.get("p95_latency") * 1.6);
    Gate againstBaseline = new Gate("p95 within 15% of baseline", "p95_latency", Comparison.LT, Quantity.parse("15%"),
        null, Baseline.BASELINE, null, NoDataAction.FAIL);
    List<GateResult> results = activities.evaluate("it", target, List.of(
        new BoundGate(noSlowerThanStable(), p95(), null),
        new BoundGate(againstBaseline, p95(), before.get("p95_latency"))));

    assertThat(results.get(0).verdict()).as(results.get(0).detail()).isEqualTo(Verdict.PASS);
    assertThat(results.get(1).verdict()).as(results.get(1).detail()).isEqualTo(Verdict.FAIL);
    System.out.println("both under load: " + results.get(0).detail() + " | " + results.get(1).detail());
  }

  @Test
  void aSustainedTriggerAgainstTheStableFiresWhenTheCanaryIsSlowerThroughoutItsWindow() {
    service.latency(Duration.ofMillis(50));
    service.canaryLatency(Duration.ofMillis(65));
    awaitTracks(1.15, 1.5, 0.0);
    Gate slower = new Gate("canary slower than stable", "p95_latency", Comparison.GT, Quantity.parse("10%"),
        Duration.ofSeconds(3), Baseline.STABLE, SECOND, NoDataAction.PASS);

    WatchResult result = activities.watch("it", target, List.of(new BoundGate(slower, p95(), null)), Duration.ofMinutes(1));

    assertThat(result.fired()).as("the trigger fires").isNotNull();
    assertThat(result.fired().verdict()).isEqualTo(Verdict.FAIL);
    assertThat(result.fired().detail()).contains("(stable ").contains("at all").contains("samples over 3s");
  }
}
