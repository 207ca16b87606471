package dev.rollout.plan;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What an approval deadline does when it passes. */
public enum TimeoutAction {
  /** Notify the escalation roles and keep waiting. */
  @JsonProperty("escalate") ESCALATE,
  /** Roll back. */
  @JsonProperty("abort") ABORT,
  /** Keep waiting silently. */
  @JsonProperty("wait") WAIT
}
