package dev.rollout.workflow;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The rollback a Temporal <em>terminate</em> skipped, run as a new run of the rollout's own
 * workflow id: a workflow type of its own, so no worker ever mistakes it for a rollout and runs
 * the plan again. It ends the terminated run's target locks, takes them itself, runs the same
 * {@link Rollback} on the undos the terminated run left ({@link RolloutLeftover}) and ends
 * ROLLED_BACK (or ROLLBACK_FAILED when another rollout holds a target meanwhile).
 *
 * <p>Its queries and updates are the rollout's own ({@link RollbackRun}), so the API and CLI read
 * and steer it like any run of the rollout.
 */
@WorkflowInterface
public interface RolloutRecoveryWorkflow extends RollbackRun {

  /**
   * @param rollout the terminated run's own request (first, as in every rollout run: the worker
   *     checks people's signed actions against its plan)
   * @param recovery what to recover and who asked
   */
  @WorkflowMethod
  RolloutResult recover(RolloutRequest rollout, RolloutRecovery recovery);
}
