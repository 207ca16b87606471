package dev.rollout.workflow;

/**
 * A step that ran and did not do its job (a health check that stayed unhealthy, a migration
 * refused): handled like a failed activity, by the phase's {@code onStepFailure}.
 */
final class StepFailed extends RuntimeException {
  StepFailed(String message) {
    super(message, null, false, false);
  }
}
