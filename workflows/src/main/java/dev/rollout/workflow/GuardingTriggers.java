package dev.rollout.workflow;

import dev.rollout.activities.MetricActivities.BoundGate;
import dev.rollout.plan.Gate;
import dev.rollout.plan.Plan;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The rollback triggers that guard a wait (for people, a window, a pause, a hold) right now. */
final class GuardingTriggers {
  private final Plan plan;
  private final GateBinder binder;
  private final StatusBoard status;
  private final StartedPhases started;

  GuardingTriggers(Plan plan, GateBinder binder, StatusBoard status, StartedPhases started) {
    this.plan = plan;
    this.binder = binder;
    this.status = status;
    this.started = started;
  }

  /**
   * None before anything changed; the plan's once a phase ran steps; and, on the guard, those of
   * every phase that changed something (before it, the current phase's once its own steps ran).
   */
  List<BoundGate> now() {
    if (started.isEmpty()) return List.of();
    if (TriggerGuard.inUse()) {
      // Every phase that changed something left its change live: its triggers guard every wait after.
      Set<Gate> gates = new LinkedHashSet<>(plan.triggers());
      for (int phase : started.all()) gates.addAll(plan.phases().get(phase).triggers());
      return binder.bind(List.copyOf(gates));
    }
    List<Gate> gates = new ArrayList<>(plan.triggers());
    int current = status.phaseIndex();
    if (started.contains(current)) gates.addAll(plan.phases().get(current).triggers());
    return binder.bind(gates);
  }
}
