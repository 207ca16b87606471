package dev.rollout.workflow;

import dev.rollout.plan.Approval;
import dev.rollout.plan.Severity;
import dev.rollout.plan.Step;
import dev.rollout.plan.TimeoutAction;
import java.time.Duration;
import java.time.Instant;

/** Waits for people: an approval (quorum, deadline, escalation) or a checklist confirmation. */
final class ApprovalWait {
  private final Rollout r;

  ApprovalWait(Rollout rollout) {
    this.r = rollout;
  }

  void collect(Approval approval, String label, String kind) {
    Instant deadline = approval.deadline() == null ? null : StatusBoard.now().plus(approval.deadline());
    ApprovalBox box = r.approvals();
    box.open(approval, label, kind, deadline);
    r.status().waitFor(RolloutState.WAITING_FOR_APPROVAL, box.waitingFor());
    String notifier = approval.notifier() != null ? approval.notifier() : r.notices().fallback();
    r.notices().send(notifier, Severity.INFO, "approval wanted: " + label,
        approval.requiredApprovals() + " of " + approval.roles() + " must approve" + (deadline == null ? "" : " by " + deadline));
    while (!box.granted() && box.rejection() == null) {
      if (box.until() == null) {
        r.controls().await(() -> box.granted() || box.rejection() != null);
        break;
      }
      Duration left = Duration.between(StatusBoard.now(), box.until());
      if (r.controls().await(left, () -> box.granted() || box.rejection() != null)) break;
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
    r.approvals().extend();
    r.status().waitFor(RolloutState.WAITING_FOR_APPROVAL, r.approvals().waitingFor());
    if (approval.onTimeout() == TimeoutAction.ESCALATE) {
      r.status().log("system", "escalated " + label + " to " + approval.escalateTo(), "deadline passed");
      r.notices().send(notifier, Severity.WARNING, "approval overdue: " + label,
          "escalated to " + approval.escalateTo() + "; still waiting for " + approval.roles());
    } else {
      r.status().log("system", "deadline passed for " + label, "still waiting");
    }
  }

  void checklist(Step.Checklist item) {
    ChecklistBox box = r.checklists();
    box.open(item);
    r.status().waitFor(RolloutState.WAITING_FOR_CHECKLIST,
        new RolloutStatus.WaitingFor("checklist", item.roles(), java.util.List.of(), 1, null, item.item()));
    r.controls().await(box::confirmed);
    box.close();
    r.status().set(RolloutState.RUNNING_STEP, null);
  }
}
