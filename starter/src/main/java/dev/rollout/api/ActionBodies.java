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
}
