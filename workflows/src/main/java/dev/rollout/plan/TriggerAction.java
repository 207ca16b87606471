package dev.rollout.plan;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a rollback trigger does when it fires: the severity tiers of a trigger table (the canary
 * seed's Warning column notifies, its Critical column rolls back).
 */
public enum TriggerAction {
  /** Tell people once, then remind them every {@code remindEvery} while it still holds; go on. */
  @JsonProperty("notify") NOTIFY,
  /** Hold the rollout ({@code ON_HOLD}) for a decision: roll back, retry or continue. */
  @JsonProperty("hold") HOLD,
  /** Roll back at once; the default. */
  @JsonProperty("rollback") ROLLBACK
}
