package dev.rollout.plan;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a step that still fails after its retries (or at once, for a non-retryable error) does. */
public enum StepFailureAction {
  /** Roll back at once. */
  @JsonProperty("rollback") ROLLBACK,
  /** Hold, showing the error, for a decision: retry the step, continue without it, or roll back. */
  @JsonProperty("hold") HOLD
}
