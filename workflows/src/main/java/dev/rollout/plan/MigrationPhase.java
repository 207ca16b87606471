package dev.rollout.plan;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Expand/contract: expand before the new code is deployed, contract once all traffic is on it. */
public enum MigrationPhase {
  @JsonProperty("expand") EXPAND,
  @JsonProperty("contract") CONTRACT
}
