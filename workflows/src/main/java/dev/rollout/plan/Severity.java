package dev.rollout.plan;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum Severity {
  @JsonProperty("info") INFO,
  @JsonProperty("warning") WARNING,
  @JsonProperty("critical") CRITICAL
}
