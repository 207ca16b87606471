package dev.rollout.workflow;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/**
 * Ends a rollout's target locks from the worker, as a local activity of the rollout's last
 * workflow task: the lock runs are ended there and then, so the rollout is not woken once more by
 * each signal's acknowledgement before their ends (one workflow task per rollout less: a full
 * replay at scale). Registered by {@link RolloutWorkflows#registerOn}; a worker without it falls
 * back to signalling from the workflow.
 */
@ActivityInterface
public interface TargetLockRelease {

  /** One lock run: its workflow id and the run this rollout started, never a later holder's run. */
  record LockRun(String workflowId, String runId) {}

  /** How {@link #end} ended the locks: what the rollout still has to wait for. */
  enum Ending {
    /**
     * Ended here (terminated by run id), on a server that reports no child's termination to its
     * parent: nothing more arrives for the rollout, which closes in this very task.
     */
    TERMINATED,
    /** Signalled to end: each lock's end arrives as an event the rollout waits for before it closes. */
    SIGNALLED
  }

  /** Signals each lock run to end; a run already closed counts as released. */
  @ActivityMethod(name = "ReleaseTargetLocks")
  void release(List<LockRun> locks);

  /**
   * Ends each lock run the way this worker's server allows ({@link Ending}); a run already closed
   * counts as ended.
   */
  @ActivityMethod(name = "EndTargetLocks")
  Ending end(List<LockRun> locks);

  /**
   * Ends (terminates) each of the lock workflows {@code lockIds} that is still running as a child
   * of {@code holder}, a run that closed without releasing them (terminated: the Java test server
   * does not apply the parent close policy). A lock held by any other run is left alone. Returns
   * the lock ids ended.
   */
  @ActivityMethod(name = "EndLocksHeldBy")
  List<String> endHeldBy(LockRun holder, List<String> lockIds);
}
