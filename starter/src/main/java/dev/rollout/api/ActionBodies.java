package dev.rollout.api;

import dev.rollout.workflow.Actions;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/** The bodies of the action endpoints; the caller's identity is added by the controller. */
final class ActionBodies {
  private ActionBodies() {}

  record Approve(@NotBlank String role, String comment) {}

  record Reject(@NotBlank String role, String comment) {}

  /** @param item the checklist item's text or its step name; null for the one awaited now */
  record Confirm(@NotBlank String role, String item, String comment) {}

  record Operator(String comment) {}

  record Abort(@NotBlank String reason) {}

  record SkipBake(@NotBlank String role, String comment) {}

  record Decide(@NotNull Actions.Choice choice, String comment) {}

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
