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
  COMPLETED,
  ROLLED_BACK,
  ROLLBACK_FAILED;

  public boolean terminal() {
    return this == COMPLETED || this == ROLLED_BACK || this == ROLLBACK_FAILED;
  }
}
