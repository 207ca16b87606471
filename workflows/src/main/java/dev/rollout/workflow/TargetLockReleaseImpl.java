package dev.rollout.workflow;

import io.temporal.activity.Activity;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import java.util.List;
import java.util.Optional;

/**
 * {@link TargetLockRelease} through the worker's own client. How a lock ends depends on the server
 * the worker talks to ({@link Ending}): Temporal's Java test server (the embedded server,
 * rehearsals, tests) neither applies a child's parent close policy nor tells a parent that its
 * child was terminated, so the worker terminates the locks and the rollout closes at once; a
 * cluster would add each termination to the rollout's history while its last task runs and refuse
 * that task's completion, so there the locks are signalled and the rollout waits for their ends.
 */
public class TargetLockReleaseImpl implements TargetLockRelease {
  /** The reason a lock's history shows for its end. */
  static final String TERMINATE_REASON = "released at the end of the rollout that held it";

  /** The reason a lock's history shows when the recovery of its terminated rollout ends it. */
  static final String STALE_REASON = "ended by the recovery of the terminated rollout that held it";

  private final Ending ending;

  /** For a worker on Temporal's Java test server: locks end by termination ({@link Ending#TERMINATED}). */
  public static TargetLockReleaseImpl onTestServer() {
    return new TargetLockReleaseImpl(Ending.TERMINATED);
  }

  /** For a worker on a Temporal cluster: locks end by signal ({@link Ending#SIGNALLED}). */
  public static TargetLockReleaseImpl onCluster() {
    return new TargetLockReleaseImpl(Ending.SIGNALLED);
  }

  private TargetLockReleaseImpl(Ending ending) {
    this.ending = ending;
  }

  /** How this worker ends locks. */
  public Ending ending() {
    return ending;
  }

  @Override
  public void release(List<LockRun> locks) {
    for (LockRun lock : locks) signal(lock);
  }

  @Override
  public Ending end(List<LockRun> locks) {
    for (LockRun lock : locks) {
      if (ending == Ending.TERMINATED) terminate(lock);
      else signal(lock);
    }
    return ending;
  }

  @Override
  public List<String> endHeldBy(LockRun holder, List<String> lockIds) {
    WorkflowClient client = Activity.getExecutionContext().getWorkflowClient();
    List<String> ended = new java.util.ArrayList<>();
    for (String lockId : lockIds) {
      io.temporal.api.workflow.v1.WorkflowExecutionInfo info;
      try {
        info = client.getWorkflowServiceStubs().blockingStub()
            .describeWorkflowExecution(io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(client.getOptions().getNamespace())
                .setExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder().setWorkflowId(lockId))
                .build())
            .getWorkflowExecutionInfo();
      } catch (io.grpc.StatusRuntimeException e) {
        if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) continue; // never taken
        throw e;
      }
      boolean running = info.getStatus() == io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
      boolean heldByHolder = info.hasParentExecution()
          && info.getParentExecution().getWorkflowId().equals(holder.workflowId())
          && info.getParentExecution().getRunId().equals(holder.runId());
      if (!running || !heldByHolder) continue;
      try {
        run(new LockRun(lockId, info.getExecution().getRunId())).terminate(STALE_REASON);
        ended.add(lockId);
      } catch (WorkflowNotFoundException closed) {
        // Ended meanwhile: nothing to do.
      }
    }
    return ended;
  }

  private static void signal(LockRun lock) {
    try {
      run(lock).signal("release");
    } catch (WorkflowNotFoundException closed) {
      // Already ended (released before, or the rollout's retry of this task): nothing to do.
    }
  }

  private static void terminate(LockRun lock) {
    try {
      run(lock).terminate(TERMINATE_REASON);
    } catch (WorkflowNotFoundException closed) {
      // Already ended (released before, or the rollout's retry of this task): nothing to do.
    }
  }

  /** By run id: a later holder's run of the same lock id is never ended by a retry of this. */
  private static WorkflowStub run(LockRun lock) {
    WorkflowClient client = Activity.getExecutionContext().getWorkflowClient();
    return client.newUntypedWorkflowStub(lock.workflowId(), Optional.of(lock.runId()), Optional.empty());
  }
}
