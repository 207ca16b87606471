package dev.rollout.client;

/** No rollout has this id (it never ran on this Temporal namespace, or its history expired). */
public class RolloutNotFoundException extends RuntimeException {
  private final String rolloutId;

  public RolloutNotFoundException(String rolloutId) {
    super("no rollout with id '" + rolloutId + "'");
    this.rolloutId = rolloutId;
  }

  public String rolloutId() {
    return rolloutId;
  }
}
