package dev.rollout.workflow;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The rollback a Temporal <em>terminate</em> skipped, run as a new run of the rollout's own
 * workflow id: a workflow type of its own, so no worker ever mistakes it for a rollout and runs
 * the plan again. It ends the terminated run's target locks, takes them itself, runs the same
 * {@link Rollback} on the undos the terminated run left ({@link RolloutLeftover}) and ends
 * ROLLED_BACK (or ROLLBACK_FAILED when another rollout holds a target meanwhile).
 *
 * <p>Its queries and updates carry the rollout's names ({@code status}, {@code brief}, {@code
 * retryUndo}, …), so the API and CLI read and steer it like any run of the rollout.
 */
@WorkflowInterface
public interface RolloutRecoveryWorkflow {

  /**
   * @param rollout the terminated run's own request (first, as in every rollout run: the worker
   *     checks people's signed actions against its plan)
   * @param recovery what to recover and who asked
   */
  @WorkflowMethod
  RolloutResult recover(RolloutRequest rollout, RolloutRecovery recovery);

  @QueryMethod
  RolloutStatus status();

  @QueryMethod
  RolloutBrief brief();

  /** What this run still leaves to undo: a terminated recovery can be recovered in turn. */
  @QueryMethod
  RolloutLeftover leftover();

  @UpdateMethod
  RolloutBrief retryUndo(Actions.UndoAction action);

  @UpdateValidatorMethod(updateName = "retryUndo")
  void validateRetryUndo(Actions.UndoAction action);

  @UpdateMethod
  RolloutBrief skipUndo(Actions.UndoAction action);

  @UpdateValidatorMethod(updateName = "skipUndo")
  void validateSkipUndo(Actions.UndoAction action);

  @UpdateMethod
  RolloutBrief markUndoDone(Actions.UndoAction action);

  @UpdateValidatorMethod(updateName = "markUndoDone")
  void validateMarkUndoDone(Actions.UndoAction action);
}
