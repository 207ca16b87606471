package dev.rollout.workflow;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The lock of one target: a workflow with the fixed id {@code target-lock-<service>.<environment>},
 * started by a rollout as its child. Temporal runs at most one workflow per id, so only one rollout
 * holds a target at a time, whatever other targets its plan names. It ends when released, and the
 * server terminates it when its rollout closes in any way (parent close policy TERMINATE).
 */
@WorkflowInterface
public interface TargetLockWorkflow {

  /** Holds the lock for {@code holder} (a rollout id) until released. */
  @WorkflowMethod
  void hold(String holder);

  @SignalMethod
  void release();
}
