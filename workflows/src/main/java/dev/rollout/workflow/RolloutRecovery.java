package dev.rollout.workflow;

/**
 * The order to run a terminated run's rollback ({@link RolloutRecoveryWorkflow}).
 *
 * @param terminatedRunId the run Temporal terminated (its target locks are ended by run id)
 * @param leftover what that run left undone, read with its {@code leftover} query
 * @param user who asked for the recovery (the API's authenticated principal)
 * @param role the plan role they acted as (null when the plan names none)
 * @param reason why, in their words (may be null)
 */
public record RolloutRecovery(String terminatedRunId, RolloutLeftover leftover, String user, String role, String reason) {

  /** As the decision log names people: {@code bob (sre)}. */
  String who() {
    return role == null ? user : user + " (" + role + ")";
  }
}
