package dev.rollout.workflow;

import io.temporal.activity.Activity;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.util.List;
import java.util.Optional;

/** {@link TargetLockRelease} through the worker's own client. */
public class TargetLockReleaseImpl implements TargetLockRelease {

  @Override
  public void release(List<LockRun> locks) {
    WorkflowClient client = Activity.getExecutionContext().getWorkflowClient();
    for (LockRun lock : locks) {
      try {
        // By run id: a later holder's run of the same lock id is never released by a retry of this.
        client.newUntypedWorkflowStub(lock.workflowId(), Optional.of(lock.runId()), Optional.empty())
            .signal("release");
      } catch (WorkflowNotFoundException closed) {
        // Already ended (released before, or the rollout's retry of this task): nothing to do.
      }
    }
  }
}
