package dev.rollout.activities.metrics.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.activities.MetricActivities;
import dev.rollout.activities.MetricActivities.BoundGate;
import dev.rollout.activities.MetricActivities.BoundMetric;
import dev.rollout.activities.MetricActivities.GateResult;
import dev.rollout.activities.MetricActivities.Verdict;
import dev.rollout.activities.MetricActivities.WatchResult;
import dev.rollout.activities.metrics.WatchHarness;
import dev.rollout.plan.Baseline;
import dev.rollout.plan.Comparison;
import dev.rollout.plan.Gate;
import dev.rollout.plan.MetricQuery;
import dev.rollout.plan.MetricSource;
import dev.rollout.plan.NoDataAction;
import dev.rollout.plan.Quantity;
import dev.rollout.plan.Target;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the real Prometheus answers on a bad day — NaN (0/0), +Inf (x/0), an empty result, a query
 * it cannot run — and a Prometheus that does not answer at all: a gate never PASSes on any of them
 * (it fails or holds as its onNoData says), a trigger never stays quiet on them.
 */
@Tag("integration")
class PrometheusBadDataIntegrationTest {
  static final Duration SECOND = Duration.ofSeconds(1);
  static final String NAN = "vector(0) / 0";
  static final String PLUS_INF = "vector(1) / 0";

  LivePrometheus prometheus;
  Target target;
  WatchHarness harness;
  MetricActivities activities;

  @BeforeEach
  void start() {
    prometheus = LivePrometheus.require();
    target = new Target("bad-" + UUID.randomUUID().toString().substring(0, 8), "it");
    harness = new WatchHarness(prometheus.providers()).options(Duration.ofSeconds(5), 1);
    activities = harness.activities();
  }

  @AfterEach
  void stop() {
    if (harness != null) harness.close();
  }

  BoundMetric metric(String query, String unit, MetricSource source) {
    return new BoundMetric("m", new MetricQuery("prometheus", query, unit, null), source);
  }

  static Gate gate(String op, String threshold, Baseline relativeTo, Duration sustain, NoDataAction onNoData) {
    return new Gate("g", "m", Comparison.of(op), Quantity.parse(threshold), sustain, relativeTo, SECOND, onNoData);
  }

  GateResult evaluate(Gate gate, String query, Double baseline) {
    return activities.evaluate("it", target, List.of(new BoundGate(gate, metric(query, "s", prometheus.source), baseline))).get(0);
  }

  @Test
  void nanAndAnEmptyResultAreNoDataForInstantAndSustainedGates() {
    for (String query : List.of(NAN, "rollout_bad_day_no_such_metric{service=\"${service}\"}")) {
      for (Duration sustain : new Duration[] {null, Duration.ofSeconds(3)}) {
        assertThat(evaluate(gate("<", "200ms", null, sustain, NoDataAction.FAIL), query, null).verdict())
            .as("%s over %s, onNoData: fail", query, sustain).isEqualTo(Verdict.FAIL);
        GateResult held = evaluate(gate("<", "200ms", null, sustain, NoDataAction.HOLD), query, null);
        assertThat(held.verdict()).as("%s over %s, onNoData: hold", query, sustain).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(held.detail()).contains("no data");
      }
    }
  }

  @Test
  void plusInfinityFailsAnUpperBoundGateAndFiresAnUpperBoundTrigger() {
    assertThat(evaluate(gate("<", "200ms", null, null, NoDataAction.PASS), PLUS_INF, null).verdict()).isEqualTo(Verdict.FAIL);
    assertThat(evaluate(gate("<", "200ms", null, Duration.ofSeconds(3), NoDataAction.PASS), PLUS_INF, null).verdict())
        .isEqualTo(Verdict.FAIL);
    Gate slow = gate(">", "200ms", null, null, NoDataAction.PASS);
    WatchResult watch = activities.watch("it", target, List.of(new BoundGate(slow, metric(PLUS_INF, "s", prometheus.source), null)),
        Duration.ofSeconds(30));
    assertThat(watch.fired()).isNotNull();
    assertThat(watch.fired().verdict()).isEqualTo(Verdict.FAIL);
  }

  /**
   * A baseline read as +Inf before the first change (x/0 on a quiet stable) moved the threshold of a
   * relative gate to +Inf: "p95 < baseline +20%" passed whatever the canary did, and the matching
   * trigger could never fire. It is no data now: the gate's onNoData decides.
   */
  @Test
  void anInfiniteBaselineIsNoDataNotAThresholdEverythingPasses() {
    Map<String, Double> baselines = activities.baseline("it", target, List.of(new BoundMetric("m",
        new MetricQuery("prometheus", PLUS_INF, "s", null), prometheus.source)));
    Double baseline = baselines.get("m");
    assertThat(baseline).isEqualTo(Double.POSITIVE_INFINITY);

    GateResult gate = evaluate(gate("<", "20%", Baseline.BASELINE, null, NoDataAction.HOLD), "vector(5)", baseline);
    assertThat(gate.verdict()).as(gate.detail()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(gate.detail()).contains("baseline is +Inf");
    GateResult sustained = evaluate(gate("<", "20%", Baseline.BASELINE, Duration.ofSeconds(3), NoDataAction.FAIL), "vector(5)", baseline);
    assertThat(sustained.verdict()).as(sustained.detail()).isEqualTo(Verdict.FAIL);

    Gate slower = gate(">", "20%", Baseline.BASELINE, null, NoDataAction.HOLD);
    WatchResult watch = activities.watch("it", target,
        List.of(new BoundGate(slower, metric("vector(5)", "s", prometheus.source), baseline)), Duration.ofSeconds(30));
    assertThat(watch.fired()).as("the trigger does not stay quiet for the whole watch").isNotNull();
    assertThat(watch.fired().verdict()).isEqualTo(Verdict.INCONCLUSIVE);
  }

  @Test
  void aQueryPrometheusCannotRunHoldsTheGateAndTheTrigger() {
    String broken = "sum(rate(up[5s])";
    String manyToMany = "vector(1) + on() (label_replace(vector(1), \"a\", \"x\", \"\", \"\") or label_replace(vector(1), \"a\", \"y\", \"\", \"\"))";
    for (String query : List.of(broken, manyToMany)) {
      GateResult result = evaluate(gate("<", "200ms", null, null, NoDataAction.PASS), query, null);
      assertThat(result.verdict()).as("%s: %s", query, result.detail()).isEqualTo(Verdict.INCONCLUSIVE);
      assertThat(result.detail()).contains("Prometheus rejected the query");
    }
    WatchResult watch = activities.watch("it", target,
        List.of(new BoundGate(gate(">", "1", null, null, NoDataAction.PASS), metric(broken, "", prometheus.source), null)),
        Duration.ofSeconds(30));
    assertThat(watch.fired().verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(watch.fired().detail()).contains("Prometheus rejected the query");
  }

  /** Nothing listens where the source says Prometheus is: gates hold, a trigger holds after its failed reads, a baseline fails retryably. */
  @Test
  void aPrometheusThatDoesNotAnswerHoldsGatesAndTriggersNeverPasses() throws IOException {
    MetricSource down = new MetricSource.Prometheus("http://127.0.0.1:" + closedPort());
    GateResult gate = activities.evaluate("it", target,
        List.of(new BoundGate(gate("<", "200ms", null, null, NoDataAction.PASS), metric("vector(0)", "s", down), null))).get(0);
    assertThat(gate.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(gate.detail()).contains("did not answer");

    WatchResult watch = activities.watch("it", target,
        List.of(new BoundGate(gate(">", "200ms", null, null, NoDataAction.PASS), metric("vector(0)", "s", down), null)),
        Duration.ofSeconds(30));
    assertThat(watch.fired()).as("a watch on a source that is down does not end quietly").isNotNull();
    assertThat(watch.fired().verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(watch.fired().detail()).contains("failed reads in a row");
  }

  /**
   * The service behind "error_rate < 1% for 12s" goes away (Prometheus marks its series stale):
   * while the window still held its last good samples the gate passed, as if the series were
   * still there. Once the series has stopped, until its window is empty, the gate never passes.
   */
  @Test
  void aSeriesThatStopsNeverPassesASustainedGate() {
    Duration window = Duration.ofSeconds(12);
    SwitchableService service = prometheus.serve(target);
    Gate low = gate("<", "1%", null, window, NoDataAction.HOLD);
    BoundGate bound = new BoundGate(low, metric(LivePrometheus.ERROR_RATE, "", prometheus.source), null);
    try {
      service.errorRate(0.0);
      dev.rollout.activities.metrics.Poll.until(
          () -> activities.evaluate("it", target, List.of(bound)).get(0), r -> r.verdict() == Verdict.PASS, Duration.ofSeconds(60));
    } finally {
      service.close();
    }
    // rate(…[5s]) still has points for a few seconds after the last scrape: wait until Prometheus
    // has none in the last 3 s (more than the gate's 2 s of slack), the series has truly stopped.
    dev.rollout.activities.metrics.Poll.until(
        () -> prometheus.samples(LivePrometheus.ERROR_RATE, target.service(), Duration.ofSeconds(3)) == 0, Duration.ofSeconds(30));
    // From then until the window holds nothing of it (no data: INCONCLUSIVE), every check fails or holds.
    List<GateResult> seen = new java.util.ArrayList<>();
    dev.rollout.activities.metrics.Poll.until(() -> {
      GateResult r = activities.evaluate("it", target, List.of(bound)).get(0);
      seen.add(r);
      return r;
    }, r -> r.verdict() == Verdict.INCONCLUSIVE, Duration.ofSeconds(60));
    assertThat(seen).as("checks after the service went away").allSatisfy(r -> assertThat(r.verdict()).as(r.detail()).isNotEqualTo(Verdict.PASS));
    assertThat(seen).anySatisfy(r -> assertThat(r.detail()).contains("the series stopped"));
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
