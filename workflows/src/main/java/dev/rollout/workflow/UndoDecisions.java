package dev.rollout.workflow;

import dev.rollout.plan.Plan;

/**
 * People's answers to a blocked rollback (retry, skip, mark done an undo by id): who may give one
 * and when, and how it is queued for {@link Rollback} to apply. Shared by the rollout and its
 * recovery ({@link RolloutRecoveryWorkflowImpl}), which answer the same updates the same way.
 */
final class UndoDecisions {
  private final Plan plan;
  private final StatusBoard status;
  private final CompensationStack stack;

  UndoDecisions(Plan plan, StatusBoard status, CompensationStack stack) {
    this.plan = plan;
    this.status = status;
    this.stack = stack;
  }

  /** Only a person holding one of the plan's roles acts on a blocked undo, and only on an open one. */
  void validate(Actions.UndoAction action, boolean reasonRequired) {
    if (action.user() == null || action.user().isBlank()) throw Refusals.invalid("user is required");
    if (reasonRequired && (action.reason() == null || action.reason().isBlank())) {
      throw Refusals.invalid("reason is required");
    }
    if (action.role() == null || !plan.roles().contains(action.role())) {
      throw Refusals.forbidden("role '" + action.role() + "' is not one of the plan's roles " + plan.roles());
    }
    if (status.state() != RolloutState.ROLLBACK_BLOCKED) {
      throw Refusals.notNow("the rollback is not blocked (state " + status.state() + ")");
    }
    UndoEntry e = action.undoId() == null ? null : stack.get(action.undoId());
    if (e == null) throw Refusals.invalid("no undo with id '" + action.undoId() + "'");
    if (e.status() != UndoEntry.Status.FAILED && e.status() != UndoEntry.Status.NEEDS_DECISION) {
      throw Refusals.notNow("undo " + e.id() + " is " + e.status() + ", not failed nor waiting for a decision");
    }
    if (stack.requested(e.id())) throw Refusals.notNow("a request for undo " + e.id() + " is already recorded");
  }

  /** Queues the request; the blocked rollback applies it at its next turn. */
  void request(UndoRequest.Kind kind, Actions.UndoAction action) {
    stack.request(new UndoRequest(kind, action.undoId(), action.user(), action.role(), action.reason()));
  }
}
