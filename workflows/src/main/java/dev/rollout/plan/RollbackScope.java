package dev.rollout.plan;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which phases a rollback undoes when the plan's phases act on several targets. */
public enum RollbackScope {
  /**
   * The failing phase's target only (its stage: the run of phases on that target); targets
   * promoted earlier keep the new version. The default.
   */
  @JsonProperty("target") TARGET,
  /** Every phase that ran, on every target. */
  @JsonProperty("all") ALL
}
