package dev.rollout.plan;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a gate does when its query returns no data. */
public enum NoDataAction {
  @JsonProperty("fail") FAIL,
  @JsonProperty("pass") PASS,
  /** Inconclusive: hold the rollout for an operator's decision. */
  @JsonProperty("hold") HOLD
}
