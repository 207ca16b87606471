package dev.rollout.workflow;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;

/**
 * What every run of a rollout id answers, a rollout's ({@link RolloutWorkflow}) and a recovery's
 * ({@link RolloutRecoveryWorkflow}) alike: its status, and people's decisions on a blocked
 * rollback. Same names on both, so the API and CLI read and steer either run the same way.
 */
public interface RollbackRun {

  @QueryMethod
  RolloutStatus status();

  /** What the rollout is doing and waits for now, without the status's lists: for callers that poll. */
  @QueryMethod
  RolloutBrief brief();

  /**
   * What this run leaves to undo, as data; answered for a terminated run too (a worker replays its
   * history), which is how {@link RolloutRecoveryWorkflow} learns what a terminate left undone.
   */
  @QueryMethod
  RolloutLeftover leftover();

  /** Runs one undo of a blocked rollback again (or decides a restore that waits for a person). */
  @UpdateMethod
  RolloutBrief retryUndo(Actions.UndoAction action);

  @UpdateValidatorMethod(updateName = "retryUndo")
  void validateRetryUndo(Actions.UndoAction action);

  /** Leaves one undo of a blocked rollback undone, with a reason; the result lists it as skipped. */
  @UpdateMethod
  RolloutBrief skipUndo(Actions.UndoAction action);

  @UpdateValidatorMethod(updateName = "skipUndo")
  void validateSkipUndo(Actions.UndoAction action);

  /** Records that a person did one undo of a blocked rollback by hand, with a reason. */
  @UpdateMethod
  RolloutBrief markUndoDone(Actions.UndoAction action);

  @UpdateValidatorMethod(updateName = "markUndoDone")
  void validateMarkUndoDone(Actions.UndoAction action);
}
