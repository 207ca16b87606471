package dev.rollout.workflow;

import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Runs one validated plan against one target, for as long as it takes. People act through
 * Updates, whose validators refuse a bad request before it enters history, and each answers with
 * the rollout's {@link RolloutBrief} (history holds every answer, so it stays small); anyone can
 * read the {@link #status()} Query.
 */
@WorkflowInterface
public interface RolloutWorkflow extends RollbackRun {

  /** The task queue the worker serves and clients start rollouts on. */
  String TASK_QUEUE = "rollouts";

  /**
   * The task queue of a rollout's trigger watches, beside the one it runs on ({@code rollouts} →
   * {@code rollouts-watch}): a worker must serve {@code MetricActivities} on both.
   */
  static String watchTaskQueue(String taskQueue) {
    return taskQueue + "-watch";
  }

  @WorkflowMethod
  RolloutResult run(RolloutRequest request);

  /** Approves what the rollout waits for (an entry or exit approval), as the caller's role. */
  @UpdateMethod
  RolloutBrief approve(Actions.Approve action);

  @UpdateValidatorMethod(updateName = "approve")
  void validateApprove(Actions.Approve action);

  /** Rejects what the rollout waits for: the rollout rolls back. */
  @UpdateMethod
  RolloutBrief reject(Actions.Reject action);

  @UpdateValidatorMethod(updateName = "reject")
  void validateReject(Actions.Reject action);

  /** Confirms a checklist item ("Security audit passed"). */
  @UpdateMethod
  RolloutBrief confirm(Actions.Confirm action);

  @UpdateValidatorMethod(updateName = "confirm")
  void validateConfirm(Actions.Confirm action);

  /** Pauses before the next step; a pause during a bake extends the bake by its length. */
  @UpdateMethod
  RolloutBrief pause(Actions.Operator action);

  @UpdateValidatorMethod(updateName = "pause")
  void validatePause(Actions.Operator action);

  @UpdateMethod
  RolloutBrief resume(Actions.Operator action);

  @UpdateValidatorMethod(updateName = "resume")
  void validateResume(Actions.Operator action);

  /** Stops the rollout and rolls back what it did. */
  @UpdateMethod
  RolloutBrief abort(Actions.Abort action);

  @UpdateValidatorMethod(updateName = "abort")
  void validateAbort(Actions.Abort action);

  /** Ends the current bake now; needs one of the phase's skip-bake roles. */
  @UpdateMethod
  RolloutBrief skipBake(Actions.SkipBake action);

  @UpdateValidatorMethod(updateName = "skipBake")
  void validateSkipBake(Actions.SkipBake action);

  /** Answers a hold (a failed gate the plan said to hold on): roll back, retry or continue. */
  @UpdateMethod
  RolloutBrief decide(Actions.Decide action);

  @UpdateValidatorMethod(updateName = "decide")
  void validateDecide(Actions.Decide action);
}
