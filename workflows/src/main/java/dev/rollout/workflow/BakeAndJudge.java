package dev.rollout.workflow;

import dev.rollout.activities.MetricActivities.Verdict;
import dev.rollout.plan.CanaryAnalysis;
import dev.rollout.plan.Gate;
import dev.rollout.plan.GateFailureAction;
import dev.rollout.plan.Phase;
import io.temporal.failure.ActivityFailure;
import java.time.Duration;
import java.util.List;

/**
 * A phase's bake (or a bake step): bakes with the triggers watched, then judges the gates; a
 * failure rolls back or holds for a decision, as the phase says.
 */
final class BakeAndJudge {
  private final Baker baker;
  private final GateJudge judge;
  private final GateBinder binder;
  private final StatusBoard status;
  private final OperatorControls controls;
  private final Hold hold;
  private final GuardingTriggers guarding;

  BakeAndJudge(Baker baker, GateJudge judge, GateBinder binder, StatusBoard status, OperatorControls controls, Hold hold,
      GuardingTriggers guarding) {
    this.baker = baker;
    this.judge = judge;
    this.binder = binder;
    this.status = status;
    this.controls = controls;
    this.hold = hold;
    this.guarding = guarding;
  }

  void run(Phase phase, String label, Duration length, List<Gate> gates, CanaryAnalysis analysis) {
    if (!length.isZero()) {
      baker.bake(label, length,
          TriggerGuard.inUse() ? guarding.now() : binder.bind(binder.triggers(phase)),
          binder.bind(gates), phase.onGateFailure());
      status.set(RolloutState.RUNNING_STEP, null);
    }
    if (gates.isEmpty() && analysis == null) return;
    status.set(RolloutState.RUNNING_STEP, "gates after " + label);
    GateJudge.Judgement j;
    try {
      j = judge.judge(binder.bind(gates), analysis);
    } catch (ActivityFailure e) {
      // Since nothing-fails-the-workflow: metrics that cannot be read are no verdict: hold.
      if (!Changes.current().nothingFails()) throw e;
      controls.checkAbort();
      j = new GateJudge.Judgement(Verdict.INCONCLUSIVE, "gates could not be evaluated: " + Failures.rootMessage(e));
    }
    if (j.verdict() == Verdict.PASS) return;
    status.log("system", j.reason(), label);
    if (j.verdict() == Verdict.FAIL && phase.onGateFailure() == GateFailureAction.ROLLBACK) {
      throw new RollbackRequested("gate failed", j.reason());
    }
    hold.decide(j.reason(), guarding.now(), "gate failed", j.reason(), HoldChoice.Retry.PHASE);
  }
}
