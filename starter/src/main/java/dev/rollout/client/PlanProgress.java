package dev.rollout.client;

import dev.rollout.plan.Phase;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Step;
import dev.rollout.workflow.RolloutState;
import dev.rollout.workflow.RolloutStatus;
import dev.rollout.workflow.Steps;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Where a rollout stands in its plan, worked out at read time from the plan and the status: the
 * canary weight the plan has reached (the last traffic step done). Used by the metrics gauges and
 * the dashboard.
 */
public final class PlanProgress {
  private static final String GATES_AFTER = "gates after ";

  private PlanProgress() {}

  /**
   * The traffic percentage the plan has set by now; empty while rolling back (the undos are
   * restoring earlier weights) and for a plan without traffic steps.
   */
  public static OptionalDouble canaryWeight(Plan plan, RolloutStatus s) {
    if (s.state() == RolloutState.ROLLING_BACK || s.state() == RolloutState.ROLLBACK_FAILED) return OptionalDouble.empty();
    if (!hasTraffic(plan)) return OptionalDouble.empty();
    if (s.state() == RolloutState.ROLLED_BACK) return OptionalDouble.of(0);
    int phases = s.state() == RolloutState.COMPLETED ? plan.phases().size() : Math.max(0, s.phaseIndex());
    double weight = 0;
    for (int p = 0; p < phases; p++) weight = last(plan.phases().get(p).steps(), weight);
    if (s.state() != RolloutState.COMPLETED && s.phaseIndex() >= 0) {
      weight = last(plan.phases().get(s.phaseIndex()).steps().subList(0, stepsDone(plan.phases().get(s.phaseIndex()), s)), weight);
    }
    return OptionalDouble.of(weight);
  }

  /** How many of the current phase's steps are done. */
  static int stepsDone(Phase phase, RolloutStatus s) {
    List<Step> steps = phase.steps();
    if (s.step() != null) {
      // A bake step's gates are judged right after it: "gates after <its label>".
      String label = s.step().startsWith(GATES_AFTER) ? s.step().substring(GATES_AFTER.length()) : s.step();
      for (int i = 0; i < steps.size(); i++) {
        if (Steps.label(steps.get(i)).equals(label)) return i;
      }
    }
    return switch (s.state()) {
      case STARTING, WAITING_FOR_WINDOW -> 0;
      case WAITING_FOR_APPROVAL -> s.waitingFor() != null && s.waitingFor().kind() == RolloutStatus.WaitKind.ENTRY_APPROVAL ? 0 : steps.size();
      case RUNNING_STEP, PAUSED, WAITING_FOR_CHECKLIST -> s.step() == null || s.step().startsWith(GATES_AFTER) ? steps.size() : 0;
      // The phase's own bake, a hold after its gates, its exit approval: all steps done.
      default -> steps.size();
    };
  }

  private static double last(List<Step> steps, double weight) {
    for (Step step : steps) if (step instanceof Step.ShiftTraffic t) weight = t.percent();
    return weight;
  }

  private static boolean hasTraffic(Plan plan) {
    return plan.phases().stream().flatMap(p -> p.steps().stream()).anyMatch(Step.ShiftTraffic.class::isInstance);
  }
}
