package dev.rollout.workflow;

import dev.rollout.plan.Approval;
import dev.rollout.plan.Severity;
import dev.rollout.plan.Step;
import dev.rollout.plan.TimeoutAction;
import dev.rollout.activities.MetricActivities.BoundGate;
import dev.rollout.plan.Gate;
import java.time.Duration;
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
    Instant openedAt = StatusBoard.now();
    Instant deadline = approval.deadline() == null ? null : openedAt.plus(approval.deadline());
    // Since escalation-reminders: the plan's remindEvery, counted from when the approval opened.
    Duration every = Changes.current().escalationReminders() ? approval.remindEvery() : null;
    ApprovalBox box = r.approvals();
    RolloutStatus.WaitKind waitKind = RolloutStatus.WaitKind.of(kind);
    box.open(approval, label, waitKind, openedAt, deadline, every == null ? null : openedAt.plus(every),
        r.status().newWaitId(waitKind));
    r.status().waitFor(RolloutState.WAITING_FOR_APPROVAL, box.waitingFor());
    String notifier = approval.notifier() != null ? approval.notifier() : r.notices().fallback();
    r.notices().send(notifier, Severity.INFO, "approval wanted: " + label,
        approval.requiredApprovals() + " of " + approval.roles() + " must approve" + (deadline == null ? "" : " by " + deadline));
    List<BoundGate> triggers = guardingTriggers(r);
    while (!r.baker().waitWatching(earliest(box.until(), box.nextReminderAt()),
        () -> box.granted() || box.rejection() != null, triggers)) {
      Instant now = StatusBoard.now();
      if (box.until() != null && !now.isBefore(box.until())) deadlinePassed(approval, label, notifier);
      if (box.nextReminderAt() != null && !now.isBefore(box.nextReminderAt())) remind(approval, label, notifier, every);
    }
    box.close();
    r.status().set(RolloutState.RUNNING_STEP, null);
    Actions.Reject no = box.rejection();
    if (no != null) {
      throw new RollbackRequested("approval rejected",
          label + " rejected by " + no.user() + " (" + no.role() + ")" + (no.comment() == null ? "" : ": " + no.comment()));
    }
  }

  private static Instant earliest(Instant a, Instant b) {
    if (a == null) return b;
    if (b == null) return a;
    return a.isBefore(b) ? a : b;
  }

  /**
   * One reminder to the roles that may approve now, then the next one on the schedule ({@code
   * every} after this one's due time, so a late wake-up never shifts or doubles the schedule).
   */
  private void remind(Approval approval, String label, String notifier, Duration every) {
    ApprovalBox box = r.approvals();
    Instant now = StatusBoard.now();
    Instant next = box.nextReminderAt().plus(every);
    while (!next.isAfter(now)) next = next.plus(every);
    box.reminded(next);
    RolloutStatus.WaitingFor w = box.waitingFor();
    r.notices().send(notifier, w.chain().escalatedAt() == null ? Severity.INFO : Severity.WARNING,
        "reminder " + box.remindersSent() + ": approval wanted: " + label,
        "waiting since " + box.openedAt() + "; " + w.approvedBy().size() + " of " + w.required() + " approvals so far; "
            + "may approve: " + w.roles()
            + (w.chain().deadline() == null ? "" : "; deadline " + w.chain().deadline())
            + (w.chain().escalatedAt() == null ? "" : ", escalated to " + w.chain().escalatedTo() + " at " + w.chain().escalatedAt())
            + "; next reminder " + next);
    r.status().waitFor(RolloutState.WAITING_FOR_APPROVAL, w);
  }

  private void deadlinePassed(Approval approval, String label, String notifier) {
    if (approval.onTimeout() == TimeoutAction.ABORT) {
      r.status().log("system", "deadline passed for " + label, "the plan says abort");
      throw new RollbackRequested("approval deadline", label + " was not given within " + approval.deadline());
    }
    if (approval.onTimeout() == TimeoutAction.ESCALATE) {
      r.approvals().escalate(StatusBoard.now(), null);
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
