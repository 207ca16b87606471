package dev.rollout.workflow;

import dev.rollout.plan.Approval;
import dev.rollout.plan.Severity;
import dev.rollout.plan.TimeoutAction;
import dev.rollout.activities.MetricActivities.BoundGate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Waits for an approval (quorum, deadline, reminders, escalation), the triggers watched meanwhile. */
final class ApprovalWait {
  private final ApprovalBox approvals;
  private final StatusBoard status;
  private final Notices notices;
  private final WatchedWait waits;
  private final GuardingTriggers guarding;

  ApprovalWait(ApprovalBox approvals, StatusBoard status, Notices notices, WatchedWait waits, GuardingTriggers guarding) {
    this.approvals = approvals;
    this.status = status;
    this.notices = notices;
    this.waits = waits;
    this.guarding = guarding;
  }

  void collect(Approval approval, String label, String kind) {
    Instant openedAt = StatusBoard.now();
    Instant deadline = approval.deadline() == null ? null : openedAt.plus(approval.deadline());
    // Since escalation-reminders: the plan's remindEvery, counted from when the approval opened.
    Duration every = Changes.current().escalationReminders() ? approval.remindEvery() : null;
    ApprovalBox box = approvals;
    RolloutStatus.WaitKind waitKind = RolloutStatus.WaitKind.of(kind);
    box.open(approval, label, waitKind, openedAt, deadline, every == null ? null : openedAt.plus(every),
        status.newWaitId(waitKind));
    status.waitFor(RolloutState.WAITING_FOR_APPROVAL, box.waitingFor());
    String notifier = approval.notifier() != null ? approval.notifier() : notices.fallback();
    notices.send(notifier, Severity.INFO, "approval wanted: " + label,
        approval.requiredApprovals() + " of " + approval.roles() + " must approve" + (deadline == null ? "" : " by " + deadline));
    List<BoundGate> triggers = guarding.now();
    while (!waits.waitWatching(earliest(box.until(), box.nextReminderAt()),
        () -> box.granted() || box.rejection() != null, triggers)) {
      Instant now = StatusBoard.now();
      if (box.until() != null && !now.isBefore(box.until())) deadlinePassed(approval, label, notifier);
      if (box.nextReminderAt() != null && !now.isBefore(box.nextReminderAt())) remind(approval, label, notifier, every);
    }
    box.close();
    status.set(RolloutState.RUNNING_STEP, null);
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
    ApprovalBox box = approvals;
    Instant now = StatusBoard.now();
    Instant next = box.nextReminderAt().plus(every);
    while (!next.isAfter(now)) next = next.plus(every);
    box.reminded(next);
    RolloutStatus.WaitingFor w = box.waitingFor();
    notices.send(notifier, w.chain().escalatedAt() == null ? Severity.INFO : Severity.WARNING,
        "reminder " + box.remindersSent() + ": approval wanted: " + label,
        "waiting since " + box.openedAt() + "; " + w.approvedBy().size() + " of " + w.required() + " approvals so far; "
            + "may approve: " + w.roles()
            + (w.chain().deadline() == null ? "" : "; deadline " + w.chain().deadline())
            + (w.chain().escalatedAt() == null ? "" : ", escalated to " + w.chain().escalatedTo() + " at " + w.chain().escalatedAt())
            + "; next reminder " + next);
    status.waitFor(RolloutState.WAITING_FOR_APPROVAL, w);
  }

  private void deadlinePassed(Approval approval, String label, String notifier) {
    if (approval.onTimeout() == TimeoutAction.ABORT) {
      status.log("system", "deadline passed for " + label, "the plan says abort");
      throw new RollbackRequested("approval deadline", label + " was not given within " + approval.deadline());
    }
    if (approval.onTimeout() == TimeoutAction.ESCALATE) {
      approvals.escalate(StatusBoard.now(), null);
      approvals.deadlinePassed(StatusBoard.now(), "escalated to " + approval.escalateTo() + ", who may approve now");
      status.log("system", "escalated " + label + " to " + approval.escalateTo(), "deadline passed");
      notices.send(notifier, Severity.WARNING, "approval overdue: " + label,
          "escalated to " + approval.escalateTo() + " (who may approve now); still waiting for " + approval.roles());
    } else {
      approvals.extend();
      approvals.deadlinePassed(StatusBoard.now(), "still waiting, no new deadline");
      status.log("system", "deadline passed for " + label, "still waiting");
    }
    status.waitFor(RolloutState.WAITING_FOR_APPROVAL, approvals.waitingFor());
  }
}
