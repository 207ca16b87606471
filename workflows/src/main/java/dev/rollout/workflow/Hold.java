package dev.rollout.workflow;

import dev.rollout.activities.MetricActivities.BoundGate;
import dev.rollout.plan.Severity;
import java.util.List;

/**
 * Holds the rollout ({@code ON_HOLD}) until someone decides, the triggers watched meanwhile; every
 * hold (a failed or inconclusive gate, an inconclusive or hold-tier trigger, a failed step,
 * unreadable baselines) goes through here, and what the decision does is {@link HoldChoice}'s.
 */
final class Hold {
  private final StatusBoard status;
  private final Notices notices;
  private final OperatorControls controls;
  private final WatchedWait waits;

  Hold(StatusBoard status, Notices notices, OperatorControls controls, WatchedWait waits) {
    this.status = status;
    this.notices = notices;
    this.controls = controls;
    this.waits = waits;
  }

  /**
   * Holds, showing {@code shown}, and acts on the decision ({@link HoldChoice#act}): ROLLBACK throws
   * {@link RollbackRequested} ({@code trigger}, {@code reason}), RETRY of the phase throws {@link
   * PhaseRunner.RetryPhase}. Returns what is left to the caller: CONTINUE, or RETRY {@link
   * HoldChoice.Retry#HERE}.
   */
  Actions.Choice decide(String shown, List<BoundGate> triggers, String trigger, String reason, HoldChoice.Retry retry) {
    return HoldChoice.act(waitForDecision(shown, triggers), trigger, reason, retry);
  }

  private Actions.Choice waitForDecision(String reason, List<BoundGate> triggers) {
    status.waitFor(RolloutState.ON_HOLD, new RolloutStatus.WaitingFor(RolloutStatus.WaitKind.DECISION,
        status.plan().roles(), List.of(), 1, null, reason, status.newWaitId(RolloutStatus.WaitKind.DECISION), List.of()));
    notices.send(notices.fallback(), Severity.WARNING, "phase " + status.phaseName() + " on hold", reason);
    waits.waitWatching(null, controls::decided, triggers);
    status.set(RolloutState.RUNNING_STEP, null);
    return controls.takeChoice();
  }
}
