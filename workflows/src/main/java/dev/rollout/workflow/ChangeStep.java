package dev.rollout.workflow;

import dev.rollout.plan.Phase;
import dev.rollout.plan.Step;
import dev.rollout.plan.StepFailureAction;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;

/**
 * Runs a step that changes something. One that still fails after its retries (at once when
 * non-retryable) rolls back, or, when the phase says {@code onStepFailure: hold}, holds with the
 * error shown for a decision: RETRY runs the step again, CONTINUE goes on without it, ROLLBACK
 * rolls back.
 */
final class ChangeStep {
  private final StepRunner steps;
  private final LiveStateCheck liveState;
  private final StatusBoard status;
  private final OperatorControls controls;
  private final Hold hold;
  private final GuardingTriggers guarding;

  ChangeStep(StepRunner steps, LiveStateCheck liveState, StatusBoard status, OperatorControls controls, Hold hold,
      GuardingTriggers guarding) {
    this.steps = steps;
    this.liveState = liveState;
    this.status = status;
    this.controls = controls;
    this.hold = hold;
    this.guarding = guarding;
  }

  /** Runs {@code step} (phase {@code index}, step key {@code key}, e.g. p1s2). */
  void run(int index, String key, Step step, String label, Phase phase) {
    liveState.beforeFirstChange();
    while (true) {
      String error;
      try {
        controls.runCancellable(() -> steps.change(index, key, step));
        steps.takeUnchangedMigrations().forEach(m ->
            status.log("system", "migration changed nothing: " + m, "no undo registered"));
        return;
      } catch (ActivityFailure | CanceledFailure e) {
        steps.takeUnchangedMigrations().forEach(m ->
            status.log("system", "migration changed nothing: " + m, "no undo registered"));
        controls.checkAbort();
        error = label + ": " + Failures.rootMessage(e);
      } catch (StepFailed e) {
        controls.checkAbort();
        error = e.getMessage();
      }
      if (!Changes.current().stepPolicy() || phase.onStepFailure() == StepFailureAction.ROLLBACK) {
        throw new RollbackRequested("step failed", error);
      }
      status.log("system", "step failed: " + error, "the plan says hold");
      Actions.Choice choice = hold.decide("step failed: " + error, guarding.now(), "step failed", error, HoldChoice.Retry.HERE);
      if (choice == Actions.Choice.CONTINUE) {
        status.log("system", "continuing without step " + label, "CONTINUE chosen");
        return;
      }
      status.set(RolloutState.RUNNING_STEP, label);
    }
  }
}
