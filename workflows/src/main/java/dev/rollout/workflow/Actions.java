package dev.rollout.workflow;

/**
 * What people send to a running rollout. Every action carries who sent it; until an
 * authentication layer exists the client fills {@code user} from its configured identity.
 */
public final class Actions {
  private Actions() {}

  public record Approve(String user, String role, String comment) {}

  public record Reject(String user, String role, String comment) {}

  /** @param item the checklist item's text or its step name */
  public record Confirm(String user, String role, String item, String comment) {}

  /** Pause or resume. */
  public record Operator(String user, String comment) {}

  public record Abort(String user, String reason) {}

  public record SkipBake(String user, String role, String comment) {}

  public record Decide(String user, Choice choice, String comment) {}

  /**
   * Retry, skip or mark done by hand one undo of a blocked rollback ({@code ROLLBACK_BLOCKED}),
   * or decide a restore that waits for a person. Needs one of the plan's roles.
   *
   * @param undoId the undo's id in the status ({@code u3})
   * @param reason why (required to skip or mark done)
   */
  public record UndoAction(String user, String role, String undoId, String reason) {}

  public enum Choice {
    ROLLBACK,
    RETRY,
    CONTINUE
  }
}
