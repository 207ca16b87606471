package dev.rollout.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.List;

/**
 * One phase (wave, stage) of a plan, run in this order: wait for the window, entry approval,
 * steps, bake while gates and triggers are watched, exit (go/no-go) approval.
 *
 * @param bake how long the phase bakes after its steps; absent (null) reads as zero, no bake. A
 *     zero bake is never written out (not by the plan mapper, not into workflow history): a file
 *     that says {@code bake: 0s} is refused, so a phase without a bake must come back without one
 * @param gates acceptance criteria: must hold at the end of the bake to advance
 * @param triggers rollback triggers watched during the bake: one firing rolls back
 * @param onGateFailure what a failed acceptance gate does: roll back (default) or hold for a decision
 * @param rollback steps to run first when this phase is rolled back, before the automatic
 *     compensations of its steps
 * @param skipBakeRoles roles allowed to cut this phase's bake short
 * @param onStepFailure what a step that still fails after its retries does: roll back (default) or
 *     hold for a decision (retry the step, continue without it, or roll back)
 * @param target which of the plan's targets this phase acts on (a target's {@code name} or its
 *     {@code service/environment}); its metrics, triggers, baselines and rollback follow it. Null
 *     in a plan with one target: that one
 */
public record Phase(
    String name,
    String description,
    Risk risk,
    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = Phase.NoBake.class) Duration bake,
    Window window,
    List<Freeze> freezes,
    Approval entryApproval,
    Approval exitApproval,
    List<Step> steps,
    List<Gate> gates,
    List<Gate> triggers,
    GateFailureAction onGateFailure,
    List<Step> rollback,
    List<String> skipBakeRoles,
    StepFailureAction onStepFailure,
    String target) {

  public Phase {
    freezes = Lists.copy(freezes);
    steps = Lists.copy(steps);
    gates = Lists.copy(gates);
    triggers = Lists.copy(triggers);
    rollback = Lists.copy(rollback);
    skipBakeRoles = Lists.copy(skipBakeRoles);
    risk = risk == null ? Risk.LOW : risk;
    bake = bake == null ? Duration.ZERO : bake;
    onGateFailure = onGateFailure == null ? GateFailureAction.ROLLBACK : onGateFailure;
    onStepFailure = onStepFailure == null ? StepFailureAction.ROLLBACK : onStepFailure;
  }

  /** Jackson's filter for {@code bake}: "equal" (left out) when there is no bake. */
  static final class NoBake {
    @Override
    public boolean equals(Object bake) {
      return bake == null || Duration.ZERO.equals(bake);
    }

    @Override
    public int hashCode() {
      return 0;
    }
  }

  /** A phase without {@code onStepFailure} (rolls back) on the plan's only target. */
  public Phase(
      String name, String description, Risk risk, Duration bake, Window window, List<Freeze> freezes,
      Approval entryApproval, Approval exitApproval, List<Step> steps, List<Gate> gates, List<Gate> triggers,
      GateFailureAction onGateFailure, List<Step> rollback, List<String> skipBakeRoles) {
    this(name, description, risk, bake, window, freezes, entryApproval, exitApproval, steps, gates, triggers,
        onGateFailure, rollback, skipBakeRoles, (StepFailureAction) null, (String) null);
  }

  /** A phase on the plan's only target. */
  public Phase(
      String name, String description, Risk risk, Duration bake, Window window, List<Freeze> freezes,
      Approval entryApproval, Approval exitApproval, List<Step> steps, List<Gate> gates, List<Gate> triggers,
      GateFailureAction onGateFailure, List<Step> rollback, List<String> skipBakeRoles,
      StepFailureAction onStepFailure) {
    this(name, description, risk, bake, window, freezes, entryApproval, exitApproval, steps, gates, triggers,
        onGateFailure, rollback, skipBakeRoles, onStepFailure, (String) null);
  }

  /** A phase without {@code onStepFailure} (rolls back) on the named target. */
  public Phase(
      String name, String description, Risk risk, Duration bake, Window window, List<Freeze> freezes,
      Approval entryApproval, Approval exitApproval, List<Step> steps, List<Gate> gates, List<Gate> triggers,
      GateFailureAction onGateFailure, List<Step> rollback, List<String> skipBakeRoles, String target) {
    this(name, description, risk, bake, window, freezes, entryApproval, exitApproval, steps, gates, triggers,
        onGateFailure, rollback, skipBakeRoles, (StepFailureAction) null, target);
  }
}
