package dev.rollout.activities.support;

import io.fabric8.kubernetes.client.KubernetesClientException;
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

  /** Kubernetes answers retrying cannot change: bad request, credentials, permission, invalid. */
  private static final java.util.Set<Integer> PERMANENT_HTTP = java.util.Set.of(400, 401, 403, 404, 422);

  /**
   * Rethrows an ApplicationFailure unchanged; turns a permanent Kubernetes refusal into a
   * non-retryable failure; wraps anything else as a retryable failure.
   */
  public static RuntimeException retryable(String what, Exception e) {
    if (e instanceof ApplicationFailure failure) return failure;
    if (e instanceof InterruptedException) Thread.currentThread().interrupt();
    String message = what + ": " + e.getMessage();
    if (e instanceof KubernetesClientException k && PERMANENT_HTTP.contains(k.getCode())) {
      return nonRetryable("KubernetesRefused", message, e);
    }
    return ApplicationFailure.newFailureWithCause(message, e.getClass().getSimpleName(), e);
  }
}
