package dev.rollout.workflow;

/**
 * Thrown inside the workflow when something calls for a rollback; caught once, at the top of the
 * run, which then compensates. Never leaves the workflow method.
 *
 * @see RolloutResult#trigger()
 */
final class RollbackRequested extends RuntimeException {
  private final String trigger;

  RollbackRequested(String trigger, String reason) {
    super(reason, null, false, false);
    this.trigger = trigger;
  }

  String trigger() {
    return trigger;
  }

  String reason() {
    return getMessage();
  }
}
