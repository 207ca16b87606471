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

  public enum Choice {
    ROLLBACK,
    RETRY,
    CONTINUE
  }
}
