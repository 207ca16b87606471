package dev.rollout.client;

/**
 * The rollout refused a request (its Update validator said no, or the rollout has ended). The
 * message is the rollout's own reason, e.g. "role 'qa' cannot answer the entry approval".
 */
public class RolloutRefusedException extends RuntimeException {

  /** Why, coarsely: the API maps these to 403, 409 and 422. */
  public enum Kind {
    /** The caller may not do this (wrong role, the starter approving alone). */
    FORBIDDEN,
    /** Not now: the rollout is not waiting for this, or has ended. */
    CONFLICT,
    /** The request itself is wrong (a missing role, an unknown choice). */
    INVALID
  }

  private final String rolloutId;
  private final Kind kind;

  public RolloutRefusedException(String rolloutId, Kind kind, String message) {
    super(message);
    this.rolloutId = rolloutId;
    this.kind = kind;
  }

  public String rolloutId() {
    return rolloutId;
  }

  public Kind kind() {
    return kind;
  }
}
