package dev.rollout.workflow;

import dev.rollout.activities.MetricActivities;
import dev.rollout.activities.MetricActivities.BoundGate;
import dev.rollout.activities.MetricActivities.BoundMetric;
import dev.rollout.plan.Baseline;
import dev.rollout.plan.Gate;
import dev.rollout.plan.MetricQuery;
import dev.rollout.plan.Phase;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Step;
import dev.rollout.plan.StepGates;
import dev.rollout.plan.Target;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves gates to their metric queries and sources, and captures the baseline of relative gates
 * when a phase starts, before its steps change anything.
 */
final class GateBinder {
  private final Plan plan;
  private final String rolloutId;
  private final PhaseTargets targets;
  private final Map<String, Double> baselines = new HashMap<>();
  /** Since {@value #BASELINES_PER_TARGET}: each target's baselines, read once before the first change. */
  private final Map<Target, Map<String, Double>> baselinesByTarget = new HashMap<>();

  GateBinder(Plan plan, String rolloutId, PhaseTargets targets) {
    this.plan = plan;
    this.rolloutId = rolloutId;
    this.targets = targets;
  }

  BoundMetric metric(String name) {
    MetricQuery query = plan.metrics().get(name);
    return new BoundMetric(
        name, query, query == null ? null : plan.resources().metricSources().get(query.source()));
  }

  Map<String, BoundMetric> metrics(List<String> names) {
    Map<String, BoundMetric> out = new LinkedHashMap<>();
    names.forEach(n -> out.put(n, metric(n)));
    return out;
  }

  List<BoundGate> bind(List<Gate> gates) {
    return gates.stream()
        .map(g -> new BoundGate(g, metric(g.metric()), g.relativeTo() == Baseline.BASELINE ? baselines().get(g.metric()) : null))
        .toList();
  }

  /** The baselines of the current phase's target. */
  private Map<String, Double> baselines() {
    return baselinesByTarget.isEmpty() ? baselines : baselinesByTarget.getOrDefault(targets.current(), Map.of());
  }

  /** Plan-wide triggers plus the phase's own. */
  List<Gate> triggers(Phase phase) {
    List<Gate> all = new ArrayList<>(plan.triggers());
    all.addAll(phase.triggers());
    return all;
  }

  /**
   * Version 1 reads the baselines once, before the first change, for the whole rollout: a
   * baseline re-read at each phase start, after earlier waves went live, let "+20 % vs baseline"
   * compound over the phases.
   */
  static final String BASELINE_ONCE = "baseline-once-before-first-change";

  static boolean baselineOnce() {
    return Changes.since(BASELINE_ONCE);
  }

  /** Reads the baseline of every metric a relative gate of this phase compares against. */
  void captureBaselines(Phase phase) {
    boolean once = baselineOnce();
    if (once && plan.phases().stream().anyMatch(p -> p.target() != null)
        && Changes.since(BASELINES_PER_TARGET)) {
      captureBaselinesPerTarget();
      return;
    }
    List<Gate> gates = new ArrayList<>(triggers(phase));
    // Since baseline-once: every relative gate of the whole plan, read before anything changed.
    for (Phase p : once ? plan.phases() : List.of(phase)) {
      gates.addAll(p.triggers());
      gates.addAll(p.gates());
      for (Step s : p.steps()) gates.addAll(StepGates.of(s));
    }
    List<BoundMetric> wanted =
        gates.stream()
            .filter(g -> g.relativeTo() == Baseline.BASELINE)
            .map(Gate::metric)
            .distinct()
            .map(this::metric)
            .toList();
    baselines.clear();
    if (wanted.isEmpty()) return;
    MetricActivities metrics =
        ActivityStubs.step(MetricActivities.class, "baseline of " + wanted.size() + " metric(s)");
    baselines.putAll(metrics.baseline(rolloutId, targets.current(), wanted));
  }

  /**
   * Version 1 reads the baselines once per target when phases name their targets: production's
   * relative gates compare with production's baseline, not with development's.
   */
  static final String BASELINES_PER_TARGET = "baselines-per-target";

  private void captureBaselinesPerTarget() {
    baselines.clear();
    baselinesByTarget.clear();
    Map<Target, List<Gate>> gatesOf = new LinkedHashMap<>();
    for (Phase p : plan.phases()) {
      List<Gate> gates = gatesOf.computeIfAbsent(plan.targetOf(p), t -> new ArrayList<>());
      gates.addAll(triggers(p));
      gates.addAll(p.gates());
      for (Step s : p.steps()) gates.addAll(StepGates.of(s));
    }
    for (Map.Entry<Target, List<Gate>> e : gatesOf.entrySet()) {
      List<BoundMetric> wanted = e.getValue().stream()
          .filter(g -> g.relativeTo() == Baseline.BASELINE)
          .map(Gate::metric)
          .distinct()
          .map(this::metric)
          .toList();
      if (wanted.isEmpty()) continue;
      MetricActivities metrics = ActivityStubs.step(MetricActivities.class,
          "baseline of " + wanted.size() + " metric(s) on " + e.getKey().key());
      baselinesByTarget.put(e.getKey(), new HashMap<>(metrics.baseline(rolloutId, e.getKey(), wanted)));
    }
  }
}
