package dev.rollout.plan;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What kind of schema change a migration is, which decides what a rollback does with it.
 * Expand/contract: expand before the new code is deployed, contract once all traffic is on it.
 */
public enum MigrationPhase {
  /** Additive, backward compatible: the old version runs on it. Undo: nothing, the schema stays. */
  @JsonProperty("expand") EXPAND,
  /** Removes what the old version needs: the point of no return. Never restored on its own. */
  @JsonProperty("contract") CONTRACT,
  /**
   * A one-shot change the old version may not run on (not split into expand and contract). Undo:
   * restore the backup this run took before it, losing every write since: when the database says
   * {@code onRollback: restore}, else by a person's decision.
   */
  @JsonProperty("breaking") BREAKING
}
