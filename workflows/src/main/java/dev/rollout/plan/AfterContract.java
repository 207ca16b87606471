package dev.rollout.plan;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a failure does once a database's contract migration ran (the point of no return: the old
 * version can no longer run against the schema, and no backup is restored automatically).
 */
public enum AfterContract {
  /** Undo nothing automatically; hold for a forward fix and alert (default). */
  @JsonProperty("hold") HOLD,
  /** Undo what is safe (emergency steps, traffic, flags, workloads) and leave the database as it is. */
  @JsonProperty("rollback-safe") ROLLBACK_SAFE
}
