package dev.rollout.workflow;

/** The ways a rollout ends, named so everywhere: status, CLI, API and the Web UI. */
public enum Outcome {
  COMPLETED,
  ROLLED_BACK,
  /** Only rollouts started before a failed undo held the rollout open ({@code ROLLBACK_BLOCKED}). */
  ROLLBACK_FAILED,
  /** Nothing was changed: the target was not in the state the rollout's first change expects. */
  STOPPED_BEFORE_CHANGE
}
