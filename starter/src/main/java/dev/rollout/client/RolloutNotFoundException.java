package dev.rollout.client;

/** No rollout has this id (it never ran on this Temporal namespace, or its history expired). */
public class RolloutNotFoundException extends RuntimeException {
  private final String rolloutId;

  public RolloutNotFoundException(String rolloutId) {
    super("no rollout with id '" + rolloutId + "'");
    this.rolloutId = rolloutId;
  }

  /** No run {@code runId} of this rollout id (see {@code GET /rollouts/{id}/runs}). */
  public RolloutNotFoundException(String rolloutId, String runId) {
    super("rollout '" + rolloutId + "' has no run '" + runId + "' (see GET /rollouts/" + rolloutId + "/runs)");
    this.rolloutId = rolloutId;
  }

  public String rolloutId() {
    return rolloutId;
  }
}
