package dev.rollout.plan;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Whether a rollback restores a database's backup on its own. Restoring loses every write made
 * since the backup, so by default it is a person's decision.
 */
public enum DatabaseRestore {
  /** A rollback waits for someone holding one of the plan's roles to restore or keep the data. */
  @JsonProperty("decide") DECIDE,
  /** A rollback restores the backup taken before the migration without asking. */
  @JsonProperty("restore") RESTORE
}
