package dev.rollout.workflow;

import dev.rollout.plan.Approval;
import dev.rollout.workflow.RolloutStatus.WaitKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The approval the rollout waits for now, and the approvals counted so far. Its checks run in the
 * update validators, so a refused approval never enters history.
 *
 * <p>Quorum: {@link Approval#requiredApprovals()} distinct roles, each approved by a distinct
 * person; the person who started the rollout can never be the only approver. An answer names the
 * wait it answers (its id): one for a past wait, another phase or another run is refused. Sending
 * the same approval again (same wait, person and role) is answered as accepted and counted once.
 * Once the deadline passed and the plan escalates, the {@code escalateTo} roles may approve too.
 */
final class ApprovalBox {
  private final List<String> planRoles;
  private final String starter;
  private Approval approval;
  private String label;
  private WaitKind kind;
  private Instant until;
  private String id;
  private boolean escalated;
  private Instant openedAt;
  private Instant deadline;
  private Instant escalatedAt;
  private Instant nextReminderAt;
  private int remindersSent;
  private final List<String> deadlines = new ArrayList<>();
  private final Map<String, String> approvedBy = new LinkedHashMap<>();
  private Actions.Reject rejection;
  /** The wait closed last and who approved it: a late repeat of one of those approvals is no error. */
  private String closedId;
  private Map<String, String> closedApprovedBy = Map.of();

  ApprovalBox(List<String> planRoles, String starter) {
    this.planRoles = planRoles;
    this.starter = starter;
  }

  /**
   * Starts waiting for {@code wanted} since {@code at}; {@code what} names it ("entry approval of
   * phase Canary"), {@code waitId} is the id answers must carry; {@code firstReminder} is null for
   * no reminders.
   */
  void open(Approval wanted, String what, WaitKind waitKind, Instant at, Instant deadline, Instant firstReminder,
      String waitId) {
    approval = wanted;
    label = what;
    kind = waitKind;
    until = deadline;
    id = waitId;
    escalated = false;
    openedAt = at;
    this.deadline = deadline;
    escalatedAt = null;
    nextReminderAt = firstReminder;
    remindersSent = 0;
    deadlines.clear();
    approvedBy.clear();
    rejection = null;
  }

  /** After the deadline passed and the plan says to keep waiting (without a new deadline). */
  void extend() {
    until = null;
  }

  /** The deadline passed at {@code at}: the {@code escalateTo} roles may approve from now on; {@code next} is the next deadline or null. */
  void escalate(Instant at, Instant next) {
    escalated = true;
    escalatedAt = at;
    until = next;
  }

  /** A reminder went out; the next one is due at {@code next}. */
  void reminded(Instant next) {
    remindersSent++;
    nextReminderAt = next;
  }

  Instant nextReminderAt() {
    return nextReminderAt;
  }

  int remindersSent() {
    return remindersSent;
  }

  Instant openedAt() {
    return openedAt;
  }

  /** Writes what a passed deadline led to into the chain the status shows. */
  void deadlinePassed(Instant at, String outcome) {
    deadlines.add(at + ": " + outcome);
  }

  Instant until() {
    return until;
  }

  String id() {
    return id;
  }

  /** The roles that may answer now: the approval's, and after an escalation its escalateTo roles. */
  List<String> roles() {
    List<String> roles = new ArrayList<>(approval.roles());
    if (escalated && approval.escalateTo() != null) {
      approval.escalateTo().stream().filter(r -> !roles.contains(r)).forEach(roles::add);
    }
    return roles;
  }

  RolloutStatus.WaitingFor waitingFor() {
    return new RolloutStatus.WaitingFor(
        kind, roles(), approvals(), approval.requiredApprovals(), until, label, id, deadlines, chain());
  }

  private RolloutStatus.DeadlineChain chain() {
    if (deadline == null && nextReminderAt == null && remindersSent == 0) return null;
    return new RolloutStatus.DeadlineChain(openedAt, deadline, escalated ? approval.escalateTo() : List.of(), escalatedAt,
        nextReminderAt, remindersSent);
  }

  void close() {
    closedId = id;
    closedApprovedBy = Map.copyOf(approvedBy);
    approval = null;
  }

  /** The same approval as one counted for the wait that closed last (a retry arriving late). */
  boolean repeatsClosed(Actions.Approve a) {
    return a.waitId() != null && a.waitId().equals(closedId) && (approval == null || !a.waitId().equals(id))
        && a.user() != null && a.user().equals(closedApprovedBy.get(a.role()));
  }

  boolean isOpen() {
    return approval != null;
  }

  String label() {
    return label;
  }

  boolean granted() {
    return approval != null && approvedBy.size() >= approval.requiredApprovals();
  }

  Actions.Reject rejection() {
    return rejection;
  }

  List<RolloutStatus.Approver> approvals() {
    List<RolloutStatus.Approver> out = new ArrayList<>();
    approvedBy.forEach((role, user) -> out.add(new RolloutStatus.Approver(role, user)));
    return out;
  }

  void validateApprove(Actions.Approve a) {
    if (repeatsClosed(a)) return;
    checkRole(a.user(), a.role(), a.waitId());
    if (a.user().equals(approvedBy.get(a.role()))) return; // the same approval again: counted once
    if (approvedBy.containsKey(a.role())) {
      throw Refusals.notNow("role '" + a.role() + "' already approved (by " + approvedBy.get(a.role()) + ")");
    }
    if (approvedBy.containsValue(a.user())) {
      throw Refusals.forbidden(a.user() + " already approved as another role; one person fills one role");
    }
    // With a quorum of one, the starter's approval would be the only one.
    if (a.user().equals(starter) && approval.requiredApprovals() <= 1) {
      throw Refusals.forbidden(a.user() + " started this rollout and cannot be its only approver");
    }
  }

  /** Counts the approval; false when this very approval was counted already. */
  boolean approve(Actions.Approve a) {
    if (repeatsClosed(a)) return false;
    if (a.user().equals(approvedBy.get(a.role()))) return false;
    approvedBy.put(a.role(), a.user());
    return true;
  }

  void validateReject(Actions.Reject r) {
    checkRole(r.user(), r.role(), r.waitId());
  }

  void reject(Actions.Reject r) {
    if (rejection == null) rejection = r;
  }

  private void checkRole(String user, String role, String waitId) {
    if (user == null || user.isBlank()) throw Refusals.invalid("user is required");
    if (role == null || role.isBlank()) throw Refusals.invalid("role is required");
    if (approval == null) {
      throw Refusals.notNow("the rollout is not waiting for an approval" + (waitId == null ? "" : " (" + waitId + " is over)"));
    }
    if (waitId != null && !waitId.equals(id)) {
      throw Refusals.notNow("this answers wait " + waitId + ", but the rollout now waits for " + label + " (" + id + ")");
    }
    if (!planRoles.isEmpty() && !planRoles.contains(role)) {
      throw Refusals.invalid("unknown role '" + role + "' (the plan's roles: " + planRoles + ")");
    }
    if (!roles().contains(role)) {
      throw Refusals.forbidden("role '" + role + "' cannot answer the " + label + " (roles: " + roles() + ")");
    }
  }
}
