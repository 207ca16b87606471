package dev.rollout.workflow;

/**
 * What people send to a running rollout. Every action carries who sent it; until an
 * authentication layer exists the client fills {@code user} from its configured identity.
 */
public final class Actions {
  private Actions() {}

  /**
   * @param waitId the wait this answers ({@code RolloutStatus.WaitingFor#id}); refused for any other.
   *     Null means "the wait open now" — clients fill it from the status they showed the person.
   */
  public record Approve(String user, String role, String comment, String waitId) {
    public Approve(String user, String role, String comment) {
      this(user, role, comment, null);
    }
  }

  public record Reject(String user, String role, String comment, String waitId) {
    public Reject(String user, String role, String comment) {
      this(user, role, comment, null);
    }
  }

  /** @param item the checklist item's text or its step name */
  public record Confirm(String user, String role, String item, String comment, String waitId) {
    public Confirm(String user, String role, String item, String comment) {
      this(user, role, item, comment, null);
    }
  }

  /** Pause or resume; resuming changes the course, so it names a role of the plan. */
  public record Operator(String user, String comment, String role) {
    public Operator(String user, String comment) {
      this(user, comment, null);
    }
  }

  /** @param role one of the plan's roles: an abort rolls back everything */
  public record Abort(String user, String reason, String role) {
    public Abort(String user, String reason) {
      this(user, reason, null);
    }
  }

  public record SkipBake(String user, String role, String comment) {}

  /** @param role one of the plan's roles; @param waitId the hold this answers */
  public record Decide(String user, Choice choice, String comment, String role, String waitId) {
    public Decide(String user, Choice choice, String comment) {
      this(user, choice, comment, null, null);
    }
  }

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
