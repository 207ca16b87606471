package dev.rollout.workflow;

import dev.rollout.plan.Step;
import java.util.List;

/** The checklist item the rollout waits for, and who confirmed it. */
final class ChecklistBox {
  private final List<String> planRoles;
  private Step.Checklist item;
  private Actions.Confirm confirmation;
  private String id;

  ChecklistBox(List<String> planRoles) {
    this.planRoles = planRoles;
  }

  void open(Step.Checklist wanted, String waitId) {
    item = wanted;
    id = waitId;
    confirmation = null;
  }

  void close() {
    item = null;
  }

  boolean confirmed() {
    return confirmation != null;
  }

  /** The text of the item waited for, as the plan words it. */
  String item() {
    return item == null ? null : item.item();
  }

  void validate(Actions.Confirm c) {
    if (c.user() == null || c.user().isBlank()) throw Refusals.invalid("user is required");
    if (item == null) {
      throw Refusals.notNow("the rollout is not waiting for a checklist item" + (c.waitId() == null ? "" : " (" + c.waitId() + " is over)"));
    }
    if (c.waitId() != null && !c.waitId().equals(id)) {
      throw Refusals.notNow("this answers wait " + c.waitId() + ", but the rollout now waits for '" + item.item() + "' (" + id + ")");
    }
    if (c.item() != null && !c.item().isBlank() && !c.item().equalsIgnoreCase(item.item())
        && !c.item().equalsIgnoreCase(item.name())) {
      throw Refusals.notNow("the rollout waits for '" + item.item() + "', not '" + c.item() + "'");
    }
    if (!planRoles.isEmpty() && c.role() != null && !planRoles.contains(c.role())) {
      throw Refusals.invalid("unknown role '" + c.role() + "' (the plan's roles: " + planRoles + ")");
    }
    if (!item.roles().isEmpty() && !item.roles().contains(c.role())) {
      throw Refusals.forbidden("'" + item.item() + "' must be confirmed by one of " + item.roles());
    }
  }

  /** Records the confirmation; false when this item was confirmed already (a repeated request). */
  boolean confirm(Actions.Confirm c) {
    if (confirmation != null) return false;
    confirmation = c;
    return true;
  }

  /** A repeat of the confirmation already recorded for this wait (same person, same wait). */
  boolean repeats(Actions.Confirm c) {
    return confirmation != null && confirmation.user().equals(c.user());
  }
}
