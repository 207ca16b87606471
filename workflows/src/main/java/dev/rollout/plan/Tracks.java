package dev.rollout.plan;

/**
 * The label values that tell the canary's series from the stable's, put in for {@code ${track}} in
 * a metric's query: {@code tracks: {canary: v2, stable: v1}}.
 */
public record Tracks(String canary, String stable) {

  /** Which of the two a query reads. */
  public enum Track {
    CANARY,
    STABLE
  }

  /** The label value of {@code track}. */
  public String of(Track track) {
    return track == Track.CANARY ? canary : stable;
  }
}
