package dev.rollout.workflow;

import dev.rollout.plan.Plan;
import dev.rollout.plan.Target;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Takes the lock of every target of a plan before anything changes, in one fixed order (by key, so
 * two rollouts never wait on each other crosswise), as child {@link TargetLockWorkflow}s. A lock
 * already held refuses the rollout before any step runs: a plan on [A] and one on [A, B] never act
 * on A together. The client checks the locks first to answer 409 at once; this is what holds when
 * two starts race.
 */
final class TargetLocks {
  /** Version 1 locks each target; before, only the workflow id (the target set) was unique. */
  static final String LOCKS = "per-target-locks";
  /** Version 1 signals every lock at once, without waiting for each signal before the next. */
  static final String RELEASED_TOGETHER = "target-locks-released-together";
  /**
   * Version 1 signals the locks from the worker in the rollout's last task ({@link
   * TargetLockRelease}, a local activity), falling back to {@link #RELEASED_TOGETHER} if that fails.
   */
  static final String RELEASED_BY_WORKER = "target-locks-released-by-worker";
  /**
   * Version 1 asks the worker to end the locks ({@link TargetLockRelease#end}): on Temporal's Java
   * test server it terminates them, nothing more arrives, and the rollout closes in the same task
   * (two workflow tasks fewer per rollout: the lock's and the rollout's last); on a cluster it
   * signals them and the rollout waits for their ends as under {@link #RELEASED_BY_WORKER}.
   */
  static final String ENDED_BY_WORKER = "target-locks-ended-by-worker";
  /** The error type of a rollout refused because a target is locked. */
  static final String TARGET_LOCKED = "TargetLocked";
  private static final java.time.Duration RELEASE_WAIT = java.time.Duration.ofMinutes(1);

  private final List<TargetLockWorkflow> held = new ArrayList<>();
  private final List<Promise<Void>> holding = new ArrayList<>();
  private final List<TargetLockRelease.LockRun> runs = new ArrayList<>();

  /** Takes every lock, or releases those taken and fails the rollout naming the locked target. */
  void acquire(Plan plan, String rolloutId) {
    if (!Changes.since(LOCKS)) return;
    List<Target> targets = new ArrayList<>(plan.targets());
    targets.sort(Comparator.comparing(Target::key));
    for (Target t : targets) {
      TargetLockWorkflow lock = Workflow.newChildWorkflowStub(TargetLockWorkflow.class,
          ChildWorkflowOptions.newBuilder()
              .setWorkflowId(RolloutIds.lockId(t))
              .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
              .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE)
              .setStaticSummary("lock of " + t.key() + " held by " + rolloutId)
              .build());
      Promise<Void> hold = Async.procedure(lock::hold, rolloutId);
      try {
        io.temporal.api.common.v1.WorkflowExecution run = Workflow.getWorkflowExecution(lock).get();
        runs.add(new TargetLockRelease.LockRun(run.getWorkflowId(), run.getRunId()));
      } catch (ChildWorkflowFailure e) {
        release();
        throw ApplicationFailure.newNonRetryableFailure(
            "target " + t.key() + " is locked by another running rollout (lock " + RolloutIds.lockId(t) + "); nothing was changed",
            TARGET_LOCKED);
      }
      held.add(lock);
      holding.add(hold);
    }
  }

  /**
   * Ends the locks of {@code plan}'s targets that the closed run {@code runId} of {@code rolloutId}
   * still holds (terminated: nobody released them), as a local activity of the worker; a lock
   * another rollout holds is left alone. Returns the lock ids ended. For a recovery
   * ({@link RolloutRecoveryWorkflowImpl}), before it takes the locks itself.
   */
  List<String> endHeldBy(Plan plan, String rolloutId, String runId) {
    List<String> lockIds = plan.targets().stream().sorted(Comparator.comparing(Target::key)).map(RolloutIds::lockId).toList();
    return releaseStub().endHeldBy(new TargetLockRelease.LockRun(rolloutId, runId), new ArrayList<>(lockIds));
  }

  /**
   * Releases every lock taken and, unless the worker ended them outright, waits until each has
   * ended, so that the rollout does not close while a lock's end is still arriving. A rollout
   * closed any other way (terminated, timed out) has its locks ended by the server (parent close
   * policy TERMINATE) — not by the embedded test server, which does not apply that policy.
   */
  void release() {
    if (held.isEmpty()) return;
    Release byWorker = fromWorker();
    if (byWorker == Release.NOT_DONE) {
      if (Changes.since(RELEASED_TOGETHER)) {
        // Every signal and the wait's timer in one workflow task: the locks end as before, one task
        // (a full replay at scale) and one signal round trip per lock less. A failed signal (the lock
        // already ended) is no matter: the wait below is for the lock's end.
        for (TargetLockWorkflow lock : held) Async.procedure(lock::release).exceptionally(failure -> null);
      } else {
        for (TargetLockWorkflow lock : held) lock.release();
      }
    }
    if (byWorker != Release.ENDED) {
      // Bounded: a lock whose workflow never runs (no worker registers it) must not keep a finished
      // rollout open; the server ends it with the rollout anyway.
      Workflow.await(RELEASE_WAIT, () -> holding.stream().allMatch(Promise::isCompleted));
    }
    held.clear();
    holding.clear();
    runs.clear();
  }

  /** What the worker did with the locks: ended them, signalled them, or nothing (the workflow signals). */
  private enum Release { ENDED, SIGNALLED, NOT_DONE }

  /**
   * The worker's part, in the rollout's last task (a local activity: no command, no event but its
   * marker). Asked in this order so that a history from before {@value #ENDED_BY_WORKER} replays
   * exactly as it ran.
   */
  private Release fromWorker() {
    if (Changes.since(ENDED_BY_WORKER)) {
      TargetLockRelease.Ending ending = endedByWorker();
      if (ending == null) return Release.NOT_DONE;
      return ending == TargetLockRelease.Ending.TERMINATED ? Release.ENDED : Release.SIGNALLED;
    }
    if (Changes.since(RELEASED_BY_WORKER)) return releasedByWorker() ? Release.SIGNALLED : Release.NOT_DONE;
    return Release.NOT_DONE;
  }

  /** The worker's ending of the locks; null, after a warning, when that failed after its tries. */
  private TargetLockRelease.Ending endedByWorker() {
    return fromWorker("ending", () -> releaseStub().end(new ArrayList<>(runs)));
  }

  /**
   * Signals the lock runs from the worker (a local activity: no command, no event but its marker);
   * false, after a warning, when that failed after its tries (the server unreachable from the
   * worker), and the workflow signals them itself. A worker must register {@link
   * TargetLockRelease} ({@link RolloutWorkflows#registerOn}): an unregistered local activity fails
   * the workflow task itself, again and again, not the activity.
   */
  private boolean releasedByWorker() {
    return fromWorker("releasing", () -> {
      releaseStub().release(new ArrayList<>(runs));
      return Boolean.TRUE;
    }) != null;
  }

  /** A call of the worker's lock release; null, after a warning, when it failed after its tries. */
  private static <T> T fromWorker(String doing, Supplier<T> call) {
    try {
      return call.get();
    } catch (ActivityFailure e) {
      Workflow.getLogger(TargetLocks.class).warn("{} the target locks from the worker failed ({}); "
          + "signalling them from the workflow", doing, Failures.rootMessage(e));
      return null;
    }
  }

  private static TargetLockRelease releaseStub() {
    return Workflow.newLocalActivityStub(TargetLockRelease.class,
        LocalActivityOptions.newBuilder()
            .setStartToCloseTimeout(java.time.Duration.ofSeconds(10))
            .setScheduleToCloseTimeout(java.time.Duration.ofSeconds(30))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
            .build());
  }
}
