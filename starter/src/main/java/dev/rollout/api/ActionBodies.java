package dev.rollout.api;

import dev.rollout.workflow.Actions;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/** The bodies of the action endpoints; the caller's identity is added by the controller. */
final class ActionBodies {
  private ActionBodies() {}

  /** @param waitId the wait answered (the status' {@code waitingFor.id}); null: the one open now */
  record Approve(@NotBlank String role, String comment, String waitId) {}

  record Reject(@NotBlank String role, String comment, String waitId) {}

  /** @param item the checklist item's text or its step name; null for the one awaited now */
  record Confirm(@NotBlank String role, String item, String comment, String waitId) {}

  /** @param role one of the plan's roles (needed to resume) */
  record Operator(String comment, String role) {}

  record Abort(@NotBlank String reason, String role) {}

  record SkipBake(@NotBlank String role, String comment) {}

  record Decide(@NotNull Actions.Choice choice, String comment, String role, String waitId) {}

  /**
   * An undo of a blocked rollback: run it again (or decide a restore), skip it, or record that it
   * was done by hand. {@code reason} is required to skip or mark done.
   */
  record Undo(@NotNull UndoAction action, @NotBlank String role, String reason) {}

  enum UndoAction {
    RETRY,
    SKIP,
    DONE
  }
}
