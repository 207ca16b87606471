package dev.rollout.workflow;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/**
 * Ends a rollout's target locks from the worker, as a local activity of the rollout's last
 * workflow task: the lock runs are signalled there and then, so the rollout is not woken once more
 * by each signal's acknowledgement before their ends (one workflow task per rollout less: a full
 * replay at scale). Registered by {@link RolloutWorkflows#registerOn}; a worker without it falls
 * back to signalling from the workflow.
 */
@ActivityInterface
public interface TargetLockRelease {

  /** One lock run: its workflow id and the run this rollout started, never a later holder's run. */
  record LockRun(String workflowId, String runId) {}

  /** Signals each lock run to end; a run already closed counts as released. */
  @ActivityMethod(name = "ReleaseTargetLocks")
  void release(List<LockRun> locks);
}
