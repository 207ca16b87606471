package dev.rollout.activities.support;

import io.temporal.failure.ApplicationFailure;

/** Failure types shared by the activities, so the workflow and people can tell them apart. */
public final class Failures {

  /** Bad input in the plan or its resources: retrying the same call cannot succeed. */
  public static final String BAD_INPUT = "BadInput";

  private Failures() {}

  public static ApplicationFailure badInput(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, BAD_INPUT);
  }

  public static ApplicationFailure nonRetryable(String type, String message, Throwable cause) {
    return ApplicationFailure.newNonRetryableFailureWithCause(message, type, cause);
  }

  /** Rethrows an ApplicationFailure unchanged; wraps anything else as a retryable failure. */
  public static RuntimeException retryable(String what, Exception e) {
    if (e instanceof ApplicationFailure failure) return failure;
    if (e instanceof InterruptedException) Thread.currentThread().interrupt();
    return ApplicationFailure.newFailureWithCause(what + ": " + e.getMessage(), e.getClass().getSimpleName(), e);
  }
}
