package dev.rollout.workflow;

/** The three ways a rollout ends, named so everywhere: status, CLI, API and the Web UI. */
public enum Outcome {
  COMPLETED,
  ROLLED_BACK,
  ROLLBACK_FAILED
}
