package dev.rollout.workflow;

import dev.rollout.plan.Plan;
import dev.rollout.plan.Target;

/**
 * The target the current phase acts on: its metric queries, triggers and baselines ask about that
 * environment (a production phase of a promotion never reads development's metrics).
 */
final class PhaseTargets {
  /** Version 1 asks each phase's own target; before, every query asked the plan's first target. */
  static final String PHASE_TARGETS = "phase-targets";

  private final Plan plan;
  private final StatusBoard status;
  private Boolean perPhase;

  PhaseTargets(Plan plan, StatusBoard status) {
    this.plan = plan;
    this.status = status;
  }

  /** The target of the phase now running. */
  Target current() {
    int index = status.phaseIndex();
    if (index < 0 || index >= plan.phases().size() || plan.phases().get(index).target() == null) {
      return plan.targets().get(0);
    }
    if (perPhase == null) {
      perPhase = Changes.since(PHASE_TARGETS);
    }
    return perPhase ? plan.targetOf(plan.phases().get(index)) : plan.targets().get(0);
  }
}
