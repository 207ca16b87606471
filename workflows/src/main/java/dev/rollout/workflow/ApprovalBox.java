package dev.rollout.workflow;

import dev.rollout.plan.Approval;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The approval the rollout waits for now, and the approvals counted so far. Its checks run in the
 * update validators, so a refused approval never enters history.
 *
 * <p>Quorum: {@link Approval#requiredApprovals()} distinct roles, each approved by a distinct
 * person; the person who started the rollout can never be the only approver.
 */
final class ApprovalBox {
  private final List<String> planRoles;
  private final String starter;
  private Approval approval;
  private String label;
  private String kind;
  private java.time.Instant until;
  private final Map<String, String> approvedBy = new LinkedHashMap<>();
  private Actions.Reject rejection;

  ApprovalBox(List<String> planRoles, String starter) {
    this.planRoles = planRoles;
    this.starter = starter;
  }

  /**
   * Starts waiting for {@code wanted}; {@code what} names it ("entry approval of phase Canary"),
   * {@code waitKind} is the status' kind ({@code entry-approval}, {@code exit-approval}).
   */
  void open(Approval wanted, String what, String waitKind, java.time.Instant deadline) {
    approval = wanted;
    label = what;
    kind = waitKind;
    until = deadline;
    approvedBy.clear();
    rejection = null;
  }

  /** After the deadline passed and the plan says to keep waiting. */
  void extend() {
    until = null;
  }

  java.time.Instant until() {
    return until;
  }

  RolloutStatus.WaitingFor waitingFor() {
    return new RolloutStatus.WaitingFor(
        kind, approval.roles(), approvals(), approval.requiredApprovals(), until, label);
  }

  void close() {
    approval = null;
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

  List<String> approvals() {
    List<String> out = new ArrayList<>();
    approvedBy.forEach((role, user) -> out.add(role + "=" + user));
    return out;
  }

  void validateApprove(Actions.Approve a) {
    checkRole(a.user(), a.role());
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

  void approve(Actions.Approve a) {
    approvedBy.put(a.role(), a.user());
  }

  void validateReject(Actions.Reject r) {
    checkRole(r.user(), r.role());
  }

  void reject(Actions.Reject r) {
    rejection = r;
  }

  private void checkRole(String user, String role) {
    if (user == null || user.isBlank()) throw Refusals.invalid("user is required");
    if (role == null || role.isBlank()) throw Refusals.invalid("role is required");
    if (approval == null) throw Refusals.notNow("the rollout is not waiting for an approval");
    if (!planRoles.isEmpty() && !planRoles.contains(role)) {
      throw Refusals.invalid("unknown role '" + role + "' (the plan's roles: " + planRoles + ")");
    }
    if (!approval.roles().contains(role)) {
      throw Refusals.forbidden("role '" + role + "' cannot answer the " + label + " (roles: " + approval.roles() + ")");
    }
  }
}
