package dev.rollout.rehearsal;

import dev.rollout.activities.MetricActivities;
import dev.rollout.activities.gates.GateCondition;
import dev.rollout.activities.gates.GateCondition.Check;
import dev.rollout.activities.gates.GateResults;
import dev.rollout.activities.gates.Sample;
import dev.rollout.activities.gates.Units;
import dev.rollout.plan.Baseline;
import dev.rollout.plan.CanaryAnalysis;
import dev.rollout.plan.Durations;
import dev.rollout.plan.Gate;
import dev.rollout.plan.Quantity.Unit;
import dev.rollout.plan.Target;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metric values come from the scenario's rules and are judged as the worker judges them ({@link
 * GateCondition}, {@link GateResults}: units, relative thresholds, {@code onNoData}); a metric
 * nobody scripted is healthy (passes every gate, fires no trigger). A watch answers at once: with
 * the first trigger that fires, or with none (the workflow then waits out its timer). Scripted
 * values are constant while they apply, so "for" windows hold or fail as a whole.
 *
 * <p>A scripted value without a unit is a plain number or a ratio ({@code 0.2} is 20 %); one with
 * a unit is converted to the metric's. Against the stable track, the stable keeps the value of the
 * rules that apply from the start (else the unscripted baseline); later rules model the canary.
 */
public final class RecordingMetrics implements MetricActivities {
  /** The baseline of a metric nobody scripted, in the metric's unit. */
  private static final double UNSCRIPTED_BASELINE = 1.0;

  private final RehearsalWorld world;

  public RecordingMetrics(RehearsalWorld world) {
    this.world = world;
  }

  /** Which environment a query asked about, as the recorded call shows it. */
  private static String on(Target target) {
    return target == null ? "" : " on " + target.key();
  }

  @Override
  public Map<String, Double> baseline(String rolloutId, Target target, List<BoundMetric> metrics) {
    world.record("metrics", "baseline", metrics.stream().map(BoundMetric::name).toList() + on(target));
    Map<String, Double> out = new LinkedHashMap<>();
    for (BoundMetric m : metrics) {
      Scenario.MetricRule rule = rule(m.name());
      out.put(m.name(), rule == null || rule.noData() ? UNSCRIPTED_BASELINE : inUnitOf(m, rule));
    }
    return out;
  }

  @Override
  public List<GateResult> evaluate(String rolloutId, Target target, List<BoundGate> gates) {
    world.record("metrics", "evaluate", gates.stream().map(g -> g.gate().describe()).toList() + on(target));
    List<GateResult> out = new ArrayList<>();
    for (BoundGate g : gates) out.add(judge(g, true));
    return out;
  }

  @Override
  public WatchResult watch(String rolloutId, Target target, List<BoundGate> triggers, Duration watchFor) {
    world.record("metrics", "watch", triggers.size() + " trigger(s) for " + Durations.format(watchFor) + on(target));
    List<GateResult> last = new ArrayList<>();
    GateResult fired = null;
    for (BoundGate t : triggers) {
      GateResult r = judge(t, false);
      last.add(r);
      // FAIL fires; INCONCLUSIVE is onNoData: hold (a person decides), as on a worker
      if (fired == null && (r.verdict() == Verdict.FAIL || r.verdict() == Verdict.INCONCLUSIVE)) fired = r;
    }
    return new WatchResult(fired, last, triggers.size());
  }

  @Override
  public JudgeResult judge(String rolloutId, Target target, CanaryAnalysis analysis, Map<String, BoundMetric> metrics) {
    world.record("metrics", "judge", analysis.metrics().size() + " metric(s)" + on(target));
    Scenario.MetricRule rule = rule("canary_score");
    double score = rule == null ? 100 : rule.quantity().value();
    Verdict v = score >= analysis.passScore() ? Verdict.PASS
        : score < analysis.marginalScore() ? Verdict.FAIL : Verdict.INCONCLUSIVE;
    return new JudgeResult(score, v, List.of());
  }

  /** The gate judged on its scripted value, as an acceptance gate or as a trigger. */
  private GateResult judge(BoundGate g, boolean acceptance) {
    Gate gate = g.gate();
    Instant at = now();
    Scenario.MetricRule rule = rule(gate.metric());
    if (rule == null) {
      return new GateResult(GateResults.name(gate), gate.metric(), null, gate.op().symbol() + " " + gate.threshold(),
          Verdict.PASS, at, "unscripted: healthy");
    }
    Check check;
    try {
      GateCondition condition = new GateCondition(gate, unitOf(g), baselineOf(g));
      Sample canary = rule.noData() ? null : new Sample(at, inUnitOf(g.metric(), rule));
      check = gate.relativeTo() == Baseline.STABLE ? condition.at(canary, stableSample(g, at)) : condition.at(canary);
    } catch (IllegalArgumentException e) {
      return GateResults.error(gate, e.getMessage(), at);
    }
    return acceptance ? GateResults.acceptance(gate, check, at) : GateResults.trigger(gate, check, at);
  }

  private Sample stableSample(BoundGate g, Instant at) {
    Scenario.MetricRule stable = world.stableRuleFor(g.gate().metric());
    if (stable != null && stable.noData()) return null;
    return new Sample(at, stable == null ? UNSCRIPTED_BASELINE : inUnitOf(g.metric(), stable));
  }

  /** A baseline gate's captured value; one the workflow did not pass reads as unscripted. */
  private static Double baselineOf(BoundGate g) {
    if (g.gate().relativeTo() != Baseline.BASELINE) return null;
    return g.baselineValue() == null ? UNSCRIPTED_BASELINE : g.baselineValue();
  }

  private static Unit unitOf(BoundGate g) {
    return unitOf(g.metric());
  }

  private static Unit unitOf(BoundMetric m) {
    String symbol = m == null || m.query() == null ? null : m.query().unit();
    return Units.of(m == null ? "?" : m.name(), symbol);
  }

  /** The scripted value in the metric's unit: 12% of a metric in % is 12, 1500ms of one in s is 1.5. */
  private static double inUnitOf(BoundMetric m, Scenario.MetricRule rule) {
    return rule.quantity().base() / unitOf(m).toBase();
  }

  private Scenario.MetricRule rule(String metric) {
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    return world.ruleFor(metric, info.getWorkflowId(), Instant.ofEpochMilli(info.getCurrentAttemptScheduledTimestamp()));
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Activity.getExecutionContext().getInfo().getCurrentAttemptScheduledTimestamp());
  }
}
