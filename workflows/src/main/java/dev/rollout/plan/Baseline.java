package dev.rollout.plan;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a relative gate compares against. */
public enum Baseline {
  /** The metric's value captured once, before the rollout's first change. */
  @JsonProperty("baseline") BASELINE,
  /**
   * The stable track's value read at the same moment as the canary's, from the same query with the
   * metric's {@code tracks} filled in: load that slows both does not count against the canary.
   */
  @JsonProperty("stable") STABLE
}
