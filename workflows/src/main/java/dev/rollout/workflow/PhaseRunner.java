package dev.rollout.workflow;

import dev.rollout.activities.MetricActivities.Verdict;
import dev.rollout.plan.CanaryAnalysis;
import dev.rollout.plan.Freeze;
import dev.rollout.plan.Gate;
import dev.rollout.plan.GateFailureAction;
import dev.rollout.plan.Phase;
import dev.rollout.plan.Step;
import dev.rollout.plan.StepFailureAction;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Promise;
import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One phase, in the plan's order: window, entry approval, steps, bake (triggers watched, gates
 * judged at its end), exit approval. Anything that calls for a rollback throws {@link
 * RollbackRequested}; a hold answered with RETRY runs the steps and the bake again.
 */
final class PhaseRunner {
  /** Version 1 checks the window (and freezes) before every step that changes something. */
  static final String WINDOW_BEFORE_EVERY_CHANGE = "window-before-every-change";

  private final Rollout r;
  /** {@value #WINDOW_BEFORE_EVERY_CHANGE} as decided at the first step; null before it. */
  private Integer windowBeforeEveryChange;

  PhaseRunner(Rollout rollout) {
    this.r = rollout;
  }

  void run(int index) {
    Phase phase = r.plan().phases().get(index);
    r.status().enterPhase(index);
    waitUntil(DeploymentWindows.nextStart(StatusBoard.now(), phase.window(), r.plan().timeZone(), phase.freezes(), dst()),
        "window of phase " + phase.name());
    if (phase.entryApproval() != null) {
      new ApprovalWait(r).collect(phase.entryApproval(), "entry approval of phase " + phase.name(), "entry-approval");
    }
    captureBaselines(phase);
    r.startedPhases().add(index);
    while (true) {
      try {
        for (int s = 0; s < phase.steps().size(); s++) step(index, s, phase);
        if (!phase.bake().isZero() || !phase.gates().isEmpty()) {
          bakeAndJudge(phase, "bake of phase " + phase.name(), phase.bake(), phase.gates(), null);
        }
        break;
      } catch (RetryPhase retry) {
        r.status().log("system", "retrying phase " + phase.name(), null);
      }
    }
    if (phase.exitApproval() != null) {
      new ApprovalWait(r).collect(phase.exitApproval(), "exit approval of phase " + phase.name(), "exit-approval");
    }
  }

  private void step(int index, int s, Phase phase) {
    Step step = phase.steps().get(s);
    String label = Steps.label(step);
    r.controls().checkAbort();
    windowBeforeEveryChange = Workflow.getVersion(WINDOW_BEFORE_EVERY_CHANGE, Workflow.DEFAULT_VERSION, 1);
    if (windowBeforeEveryChange == 1) {
      awaitWindowAndResume(phase, label, changes(step));
    } else {
      Freeze freeze;
      while ((freeze = DeploymentWindows.freezeAt(StatusBoard.now(), phase.freezes())) != null) {
        waitUntil(freeze.to(), "freeze: " + freeze.reason());
      }
      if (r.controls().paused()) {
        r.status().set(RolloutState.PAUSED, label);
        r.baker().awaitResumed(ApprovalWait.guardingTriggers(r));
      }
    }
    r.status().set(RolloutState.RUNNING_STEP, label);
    switch (Steps.role(step)) {
      case BAKE -> {
        Step.Bake b = (Step.Bake) step;
        bakeAndJudge(phase, label, b.duration() == null ? Duration.ZERO : b.duration(), b.gates(), b.analysis());
      }
      case CHECKLIST -> new ApprovalWait(r).checklist((Step.Checklist) step);
      case NOTICE -> {
        Step.Notify n = (Step.Notify) step;
        r.notices().send(n.notifier(), n.severity(), phase.name() + ": " + label, n.message());
      }
      case CHANGE -> change(index, "p" + (index + 1) + "s" + (s + 1), step, label, phase);
    }
  }

  /**
   * Runs a change. One that still fails after its retries (at once when non-retryable) rolls back,
   * or, when the phase says {@code onStepFailure: hold}, holds with the error shown for a decision:
   * RETRY runs the step again, CONTINUE goes on without it, ROLLBACK rolls back.
   */
  private void change(int index, String key, Step step, String label, Phase phase) {
    LiveStateCheck.beforeFirstChange(r);
    while (true) {
      String error;
      try {
        r.controls().runCancellable(() -> r.steps().change(index, key, step));
        r.steps().takeUnchangedMigrations().forEach(m ->
            r.status().log("system", "migration changed nothing: " + m, "no undo registered"));
        return;
      } catch (ActivityFailure | CanceledFailure e) {
        r.controls().checkAbort();
        error = label + ": " + Rollout.rootMessage(e);
      } catch (StepFailed e) {
        r.controls().checkAbort();
        error = e.getMessage();
      }
      if (!Changes.current().stepPolicy() || phase.onStepFailure() == StepFailureAction.ROLLBACK) {
        throw new RollbackRequested("step failed", error);
      }
      r.status().log("system", "step failed: " + error, "the plan says hold");
      Actions.Choice choice = HoldChoice.act(r.baker().hold("step failed: " + error, ApprovalWait.guardingTriggers(r)),
          "step failed", error, HoldChoice.Retry.HERE);
      if (choice == Actions.Choice.CONTINUE) {
        r.status().log("system", "continuing without step " + label, "CONTINUE chosen");
        return;
      }
      r.status().set(RolloutState.RUNNING_STEP, label);
    }
  }

  /**
   * Reads the baselines of relative gates. Since {@value Changes#NOTHING_FAILS} a metric source
   * that stays down past the retries holds the phase before its steps (nothing of it changed
   * yet): RETRY reads again, CONTINUE goes on without baselines (relative gates are then
   * inconclusive), ROLLBACK rolls back.
   */
  private void captureBaselines(Phase phase) {
    // The baseline is what the target looked like before the rollout changed anything: read once.
    if (!r.startedPhases().isEmpty() && GateBinder.baselineOnce()) return;
    while (true) {
      try {
        r.binder().captureBaselines(phase);
        return;
      } catch (ActivityFailure e) {
        if (!Changes.current().nothingFails()) throw e;
        r.controls().checkAbort();
        String reason = "baselines of phase " + phase.name() + " could not be read: " + Rollout.rootMessage(e);
        r.status().log("system", reason, "held as inconclusive");
        Actions.Choice choice = HoldChoice.act(r.baker().hold(reason, ApprovalWait.guardingTriggers(r)),
            "baselines unreadable", reason, HoldChoice.Retry.HERE);
        if (choice == Actions.Choice.CONTINUE) return;
      }
    }
  }

  /**
   * Before a step: waits while paused and, for a step that changes something, until the phase's
   * window is open and no freeze holds — checked again after every wait, since a pause, an
   * approval or a hold can outlast the window.
   */
  private void awaitWindowAndResume(Phase phase, String label, boolean changes) {
    while (true) {
      if (r.controls().paused()) {
        r.status().set(RolloutState.PAUSED, label);
        r.baker().awaitResumed(ApprovalWait.guardingTriggers(r));
      }
      if (!changes) return;
      Instant start = DeploymentWindows.nextStart(StatusBoard.now(), phase.window(), r.plan().timeZone(), phase.freezes(), dst());
      if (!start.isAfter(StatusBoard.now()) && !r.controls().paused()) return;
      Freeze freeze = DeploymentWindows.freezeAt(StatusBoard.now(), phase.freezes());
      waitUntil(start, freeze != null ? "freeze: " + freeze.reason() : "window of phase " + phase.name() + " for " + label);
      r.controls().checkAbort();
    }
  }

  /**
   * The DST rule this run computes its windows with. Since {@value Changes#WINDOW_DST_AT_JUMP}: at
   * the jump. A run without that marker started earlier, and the fix first went in without a
   * version, together with {@value #WINDOW_BEFORE_EVERY_CHANGE}: a run on that version computed
   * every window from its first step on at the jump, as that code did; before, shifted by the gap.
   */
  private DeploymentWindows.Dst dst() {
    if (Changes.current().windowDstAtJump()) return DeploymentWindows.Dst.AT_JUMP;
    if (windowBeforeEveryChange != null && windowBeforeEveryChange == 1) return DeploymentWindows.Dst.AT_JUMP;
    return DeploymentWindows.Dst.SHIFTED_BY_GAP;
  }

  /** Steps that change the target (not a bake, a checklist item or a notice). */
  private static boolean changes(Step step) {
    return Steps.changes(step);
  }

  /** Bakes, then judges the gates; a failure rolls back or holds for a decision, as the phase says. */
  private void bakeAndJudge(Phase phase, String label, Duration length, List<Gate> gates, CanaryAnalysis analysis) {
    if (!length.isZero()) {
      r.baker().bake(label, length,
          Baker.guarded() ? ApprovalWait.guardingTriggers(r) : r.binder().bind(r.binder().triggers(phase)),
          r.binder().bind(gates), phase.onGateFailure());
      r.status().set(RolloutState.RUNNING_STEP, null);
    }
    if (gates.isEmpty() && analysis == null) return;
    r.status().set(RolloutState.RUNNING_STEP, "gates after " + label);
    GateJudge.Judgement j;
    try {
      j = r.judge().judge(r.binder().bind(gates), analysis);
    } catch (ActivityFailure e) {
      // Since nothing-fails-the-workflow: metrics that cannot be read are no verdict: hold.
      if (!Changes.current().nothingFails()) throw e;
      r.controls().checkAbort();
      j = new GateJudge.Judgement(Verdict.INCONCLUSIVE, "gates could not be evaluated: " + Rollout.rootMessage(e));
    }
    if (j.verdict() == Verdict.PASS) return;
    r.status().log("system", j.reason(), label);
    if (j.verdict() == Verdict.FAIL && phase.onGateFailure() == GateFailureAction.ROLLBACK) {
      throw new RollbackRequested("gate failed", j.reason());
    }
    HoldChoice.act(r.baker().hold(j.reason(), ApprovalWait.guardingTriggers(r)), "gate failed", j.reason(), HoldChoice.Retry.PHASE);
  }

  /** Sleeps (abortably) until {@code at}, showing it in the status; nothing when it has passed. */
  private void waitUntil(Instant at, String what) {
    Duration wait = Duration.between(StatusBoard.now(), at);
    if (wait.isNegative() || wait.isZero()) return;
    r.status().waitFor(RolloutState.WAITING_FOR_WINDOW,
        new RolloutStatus.WaitingFor(RolloutStatus.WaitKind.WINDOW, List.of(), List.of(), 0, at, what));
    r.status().windowOpensAt(at);
    if (Baker.guarded()) {
      // Once something changed, a wait for a window or out of a freeze is watched like any other.
      r.baker().waitWatching(at, () -> false, ApprovalWait.guardingTriggers(r));
      r.status().set(RolloutState.RUNNING_STEP, null);
      return;
    }
    Promise<Void> timer = Workflow.newTimer(wait, TimerOptions.newBuilder().setSummary(what).build());
    r.controls().await(timer::isCompleted);
    r.status().set(RolloutState.RUNNING_STEP, null);
  }

  /** A hold answered with RETRY: the phase runs its steps and bake again. */
  static final class RetryPhase extends RuntimeException {
    RetryPhase() {
      super("retry", null, false, false);
    }
  }

}
