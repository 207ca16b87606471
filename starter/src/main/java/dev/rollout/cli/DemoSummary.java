package dev.rollout.cli;

import dev.rollout.activities.MetricActivities.GateResult;
import dev.rollout.demo.DemoTarget;
import dev.rollout.plan.Phase;
import dev.rollout.plan.Plan;
import dev.rollout.workflow.Decision;
import dev.rollout.workflow.RolloutStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the demo prints at the end: per phase the weight reached and the gate values, the decisions, the traffic, the end. */
final class DemoSummary {

  private final DemoTarget target;
  private final Map<String, Double> weights = new HashMap<>();
  private final Map<String, List<GateResult>> gates = new HashMap<>();
  private String bakedPhase;
  private List<GateResult> lastGates = List.of();

  DemoSummary(DemoTarget target) {
    this.target = target;
  }

  void observe(RolloutStatus status) {
    if (status.phase() == null) return;
    if (status.state().terminal()) {
      if (!status.lastGates().isEmpty() && !status.lastGates().equals(lastGates) && bakedPhase != null) {
        gates.put(bakedPhase, status.lastGates());
      }
      return;
    }
    weights.merge(status.phase(), target.router().canaryPercent(), Math::max);
    if (status.bakeEndsAt() != null) bakedPhase = status.phase();
    // Gates are judged at the end of a bake, and may first show once the next phase has begun.
    if (!status.lastGates().equals(lastGates)) {
      lastGates = status.lastGates();
      if (!lastGates.isEmpty()) gates.put(bakedPhase == null ? status.phase() : bakedPhase, lastGates);
    }
  }

  void print(RolloutStatus end, Plan plan, Duration took, PrintWriter out) {
    out.println();
    out.println("==== demo summary ====");
    out.printf("rollout   %s (plan %s, target %s)%n", end.rolloutId(), plan.name(), end.target());
    out.println("phases");
    for (Phase phase : plan.phases()) {
      Double weight = weights.get(phase.name());
      if (weight == null) {
        out.printf("  %-12s not reached%n", phase.name());
        continue;
      }
      out.printf(Locale.ROOT, "  %-12s v2 weight %.0f%%%n", phase.name(), weight);
      for (GateResult gate : gates.getOrDefault(phase.name(), List.of())) out.println("      " + StatusView.gate(gate));
    }
    out.println("decisions");
    for (Decision d : end.decisions()) out.println("  " + StatusView.decision(d));
    out.printf(Locale.ROOT, "traffic   v1 served %d (%d failed), v2 served %d (%d failed); v2 weight now %.0f%%%n",
        target.metrics().served("v1", false), target.metrics().served("v1", true),
        target.metrics().served("v2", false), target.metrics().served("v2", true), target.router().canaryPercent());
    out.printf("took      %.1f s%n", took.toMillis() / 1000.0);
    out.println("result    " + (end.result() == null ? end.state().name() : StatusView.result(end.result())));
    out.println(end.state().name());
    out.flush();
  }
}
