package dev.rollout.client;

/** A rollout is already running on the plan's target: one rollout per target at a time. */
public class RolloutBusyException extends RuntimeException {
  private final String runningRollout;
  private final String runId;

  public RolloutBusyException(String runningRollout, String runId) {
    super(
        "a rollout is already running on this target: '"
            + runningRollout
            + "' (run "
            + runId
            + "); wait for it to end or abort it first");
    this.runningRollout = runningRollout;
    this.runId = runId;
  }

  public String runningRollout() {
    return runningRollout;
  }

  public String runId() {
    return runId;
  }
}
