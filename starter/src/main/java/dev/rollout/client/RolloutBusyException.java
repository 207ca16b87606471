package dev.rollout.client;

/**
 * A rollout is already running on the plan's target: one rollout per target at a time. Either a
 * rollout on the same targets runs, or one on an overlapping set holds a target's lock ({@link
 * #target()} names it).
 */
public class RolloutBusyException extends RuntimeException {
  private final String runningRollout;
  private final String runId;
  private final String target;

  public RolloutBusyException(String runningRollout, String runId) {
    super(
        "a rollout is already running on this target: '"
            + runningRollout
            + "' (run "
            + runId
            + "); wait for it to end or abort it first");
    this.runningRollout = runningRollout;
    this.runId = runId;
    this.target = null;
  }

  /** {@code target} (a target key) is locked by {@code runningRollout}. */
  public RolloutBusyException(String runningRollout, String runId, String target) {
    super(
        "target " + target + " is locked by the running rollout '"
            + runningRollout
            + "' (run "
            + runId
            + "); wait for it to end or abort it first");
    this.runningRollout = runningRollout;
    this.runId = runId;
    this.target = target;
  }

  public String runningRollout() {
    return runningRollout;
  }

  public String runId() {
    return runId;
  }

  /** The locked target's key, or null when the rollout on the same targets is running. */
  public String target() {
    return target;
  }
}
