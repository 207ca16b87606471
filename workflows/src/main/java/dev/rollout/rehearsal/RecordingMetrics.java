package dev.rollout.rehearsal;

import dev.rollout.activities.MetricActivities;
import dev.rollout.plan.Baseline;
import dev.rollout.plan.CanaryAnalysis;
import dev.rollout.plan.Gate;
import dev.rollout.plan.NoDataAction;
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
 * Metric values come from the scenario's rules; a metric nobody scripted is healthy (passes every
 * gate, fires no trigger). A watch answers at once: with the first trigger its scripted value
 * fires, or with none (the workflow then waits out its timer). Scripted values are constant while
 * they apply, so "for" windows hold or fail as a whole.
 */
public final class RecordingMetrics implements MetricActivities {
  /** The baseline of a metric nobody scripted. */
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
      out.put(m.name(), rule == null || rule.noData() ? UNSCRIPTED_BASELINE : rule.quantity().value());
    }
    return out;
  }

  @Override
  public List<GateResult> evaluate(String rolloutId, Target target, List<BoundGate> gates) {
    world.record("metrics", "evaluate", gates.stream().map(g -> g.gate().describe()).toList() + on(target));
    List<GateResult> out = new ArrayList<>();
    for (BoundGate g : gates) {
      Double value = value(g);
      boolean holds = value == null || condition(g, value);
      out.add(result(g, value, noData(g) ? Verdict.NO_DATA : holds ? Verdict.PASS : Verdict.FAIL));
    }
    return out;
  }

  @Override
  public WatchResult watch(String rolloutId, Target target, List<BoundGate> triggers, Duration watchFor) {
    world.record("metrics", "watch",
        triggers.size() + " trigger(s) for " + dev.rollout.plan.Durations.format(watchFor) + on(target));
    List<GateResult> last = new ArrayList<>();
    GateResult fired = null;
    for (BoundGate t : triggers) {
      Double value = value(t);
      boolean firing = value != null && condition(t, value);
      boolean held = noData(t) && t.gate().onNoData() == NoDataAction.HOLD;
      GateResult r = result(t, value, firing ? Verdict.FAIL : held ? Verdict.INCONCLUSIVE : Verdict.PASS);
      last.add(r);
      if ((firing || held) && fired == null) fired = r;
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

  private Scenario.MetricRule rule(String metric) {
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    return world.ruleFor(metric, info.getWorkflowId(), Instant.ofEpochMilli(info.getCurrentAttemptScheduledTimestamp()));
  }

  private boolean noData(BoundGate g) {
    Scenario.MetricRule rule = rule(g.gate().metric());
    return rule != null && rule.noData();
  }

  /** The scripted value in the threshold's terms: a change against the baseline for relative gates. */
  private Double value(BoundGate g) {
    Scenario.MetricRule rule = rule(g.gate().metric());
    if (rule == null || rule.noData()) return null;
    double v = rule.quantity().base();
    if (g.gate().relativeTo() == Baseline.BASELINE) {
      double base = g.baselineValue() == null ? UNSCRIPTED_BASELINE : g.baselineValue() * rule.quantity().unit().toBase();
      return base == 0 ? v : (v - base) / base;
    }
    return v;
  }

  private static boolean condition(BoundGate g, double value) {
    Gate gate = g.gate();
    return gate.op().holds(value, gate.threshold().base());
  }

  /** The result as the metric reads (200 for 200ms, 12 for 12%); a relative gate shows its change. */
  private GateResult result(BoundGate g, Double value, Verdict verdict) {
    Instant at = Instant.ofEpochMilli(Activity.getExecutionContext().getInfo().getCurrentAttemptScheduledTimestamp());
    Scenario.MetricRule rule = rule(g.gate().metric());
    boolean noData = rule != null && rule.noData();
    if (rule != null && !noData && g.gate().relativeTo() == null) value = rule.quantity().value();
    String name = g.gate().name() != null ? g.gate().name() : g.gate().describe();
    return new GateResult(name, g.gate().metric(), value, g.gate().threshold().toString(), verdict, at,
        noData ? "scripted: no data" : value == null ? "unscripted: healthy" : "scripted");
  }
}
