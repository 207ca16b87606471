package dev.rollout.plan;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a failed acceptance gate does at the end of a bake. */
public enum GateFailureAction {
  /** Roll back at once. */
  @JsonProperty("rollback") ROLLBACK,
  /** Wait for an operator to choose: roll back, retry the phase, or continue. */
  @JsonProperty("hold") HOLD
}
