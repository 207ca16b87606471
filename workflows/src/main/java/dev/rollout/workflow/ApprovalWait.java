package dev.rollout.workflow;

import dev.rollout.plan.Approval;
import dev.rollout.plan.Severity;
import dev.rollout.plan.Step;
import dev.rollout.plan.TimeoutAction;
import dev.rollout.activities.MetricActivities.BoundGate;
import dev.rollout.plan.Gate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Waits for people: an approval (quorum, deadline, escalation) or a checklist confirmation. */
final class ApprovalWait {
  private final Rollout r;

  ApprovalWait(Rollout rollout) {
    this.r = rollout;
  }

  void collect(Approval approval, String label, String kind) {
    Instant deadline = approval.deadline() == null ? null : StatusBoard.now().plus(approval.deadline());
    ApprovalBox box = r.approvals();
    RolloutStatus.WaitKind waitKind = RolloutStatus.WaitKind.of(kind);
    box.open(approval, label, waitKind, deadline, r.status().newWaitId(waitKind));
    r.status().waitFor(RolloutState.WAITING_FOR_APPROVAL, box.waitingFor());
    String notifier = approval.notifier() != null ? approval.notifier() : r.notices().fallback();
    r.notices().send(notifier, Severity.INFO, "approval wanted: " + label,
        approval.requiredApprovals() + " of " + approval.roles() + " must approve" + (deadline == null ? "" : " by " + deadline));
    List<BoundGate> triggers = guardingTriggers(r);
    while (!r.baker().waitWatching(box.until(), () -> box.granted() || box.rejection() != null, triggers)) {
      deadlinePassed(approval, label, notifier);
    }
    box.close();
    r.status().set(RolloutState.RUNNING_STEP, null);
    Actions.Reject no = box.rejection();
    if (no != null) {
      throw new RollbackRequested("approval rejected",
          label + " rejected by " + no.user() + " (" + no.role() + ")" + (no.comment() == null ? "" : ": " + no.comment()));
    }
  }

  private void deadlinePassed(Approval approval, String label, String notifier) {
    if (approval.onTimeout() == TimeoutAction.ABORT) {
      r.status().log("system", "deadline passed for " + label, "the plan says abort");
      throw new RollbackRequested("approval deadline", label + " was not given within " + approval.deadline());
    }
    if (approval.onTimeout() == TimeoutAction.ESCALATE) {
      r.approvals().escalate(null);
      r.approvals().deadlinePassed(StatusBoard.now(), "escalated to " + approval.escalateTo() + ", who may approve now");
      r.status().log("system", "escalated " + label + " to " + approval.escalateTo(), "deadline passed");
      r.notices().send(notifier, Severity.WARNING, "approval overdue: " + label,
          "escalated to " + approval.escalateTo() + " (who may approve now); still waiting for " + approval.roles());
    } else {
      r.approvals().extend();
      r.approvals().deadlinePassed(StatusBoard.now(), "still waiting, no new deadline");
      r.status().log("system", "deadline passed for " + label, "still waiting");
    }
    r.status().waitFor(RolloutState.WAITING_FOR_APPROVAL, r.approvals().waitingFor());
  }

  /**
   * The triggers that guard a wait for people: none before anything changed; the plan's once a
   * phase ran steps; and the current phase's too once its own steps ran (exit approval, a hold).
   */
  static List<BoundGate> guardingTriggers(Rollout r) {
    if (r.startedPhases().isEmpty()) return List.of();
    if (Baker.guarded()) {
      // Every phase that changed something left its change live: its triggers guard every wait after.
      java.util.Set<Gate> gates = new java.util.LinkedHashSet<>(r.plan().triggers());
      for (int started : r.startedPhases()) gates.addAll(r.plan().phases().get(started).triggers());
      return r.binder().bind(List.copyOf(gates));
    }
    List<Gate> gates = new ArrayList<>(r.plan().triggers());
    int current = r.status().phaseIndex();
    if (r.startedPhases().contains(current)) gates.addAll(r.plan().phases().get(current).triggers());
    return r.binder().bind(gates);
  }

  void checklist(Step.Checklist item) {
    ChecklistBox box = r.checklists();
    String id = r.status().newWaitId(RolloutStatus.WaitKind.CHECKLIST);
    box.open(item, id);
    r.status().waitFor(RolloutState.WAITING_FOR_CHECKLIST, new RolloutStatus.WaitingFor(
        RolloutStatus.WaitKind.CHECKLIST, item.roles(), List.of(), 1, null, item.item(), id, List.of()));
    if (Baker.guarded()) {
      r.baker().waitWatching(null, box::confirmed, guardingTriggers(r));
    } else {
      r.controls().await(box::confirmed);
    }
    box.close();
    r.status().set(RolloutState.RUNNING_STEP, null);
  }
}
