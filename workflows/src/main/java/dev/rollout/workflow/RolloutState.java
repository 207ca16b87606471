package dev.rollout.workflow;

/** Where a running rollout is; the three terminal states match {@link Outcome}. */
public enum RolloutState {
  STARTING,
  WAITING_FOR_WINDOW,
  WAITING_FOR_APPROVAL,
  WAITING_FOR_CHECKLIST,
  RUNNING_STEP,
  BAKING,
  ON_HOLD,
  /** Every phase is done; the triggers stay armed for the plan's watch period. */
  WATCHING,
  PAUSED,
  ROLLING_BACK,
  /**
   * An undo failed after its retries, or waits for a decision (a backup restore, a forward fix):
   * the rollout stays open, target locked, until people retry, skip or mark each one done.
   */
  ROLLBACK_BLOCKED,
  COMPLETED,
  ROLLED_BACK,
  /** Ended by rollouts started before a blocked rollback stayed open; kept for their histories. */
  ROLLBACK_FAILED,
  /** Stopped before its first change: the target was not in the state it expects (see the reason). */
  STOPPED_BEFORE_CHANGE;

  public boolean terminal() {
    return this == COMPLETED || this == ROLLED_BACK || this == ROLLBACK_FAILED || this == STOPPED_BEFORE_CHANGE;
  }
}
