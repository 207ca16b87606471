package dev.rollout.workflow;

import dev.rollout.plan.Phase;
import io.temporal.failure.ActivityFailure;

/**
 * Reads the baselines of relative gates before a phase's steps. Since {@value
 * Changes#NOTHING_FAILS} a metric source that stays down past the retries holds the phase before
 * its steps (nothing of it changed yet): RETRY reads again, CONTINUE goes on without baselines
 * (relative gates are then inconclusive), ROLLBACK rolls back.
 */
final class BaselineCapture {
  private final GateBinder binder;
  private final StartedPhases started;
  private final StatusBoard status;
  private final OperatorControls controls;
  private final Hold hold;
  private final GuardingTriggers guarding;

  BaselineCapture(GateBinder binder, StartedPhases started, StatusBoard status, OperatorControls controls, Hold hold,
      GuardingTriggers guarding) {
    this.binder = binder;
    this.started = started;
    this.status = status;
    this.controls = controls;
    this.hold = hold;
    this.guarding = guarding;
  }

  void before(Phase phase) {
    // The baseline is what the target looked like before the rollout changed anything: read once.
    if (!started.isEmpty() && GateBinder.baselineOnce()) return;
    while (true) {
      try {
        binder.captureBaselines(phase);
        return;
      } catch (ActivityFailure e) {
        if (!Changes.current().nothingFails()) throw e;
        controls.checkAbort();
        String reason = "baselines of phase " + phase.name() + " could not be read: " + Failures.rootMessage(e);
        status.log("system", reason, "held as inconclusive");
        Actions.Choice choice = hold.decide(reason, guarding.now(), "baselines unreadable", reason, HoldChoice.Retry.HERE);
        if (choice == Actions.Choice.CONTINUE) return;
      }
    }
  }
}
