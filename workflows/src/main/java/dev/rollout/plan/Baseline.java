package dev.rollout.plan;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a relative gate compares against. */
public enum Baseline {
  /** The metric's value captured when the phase started, before its steps ran. */
  @JsonProperty("baseline") BASELINE
}
