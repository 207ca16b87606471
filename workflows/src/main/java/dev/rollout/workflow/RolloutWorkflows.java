package dev.rollout.workflow;

import io.temporal.worker.Worker;
import io.temporal.worker.WorkflowImplementationOptions;

/**
 * Every workflow type a rollout worker must run: the rollout, the recovery of a terminated one
 * ({@link RolloutRecoveryWorkflow}) and their per-target lock children, and
 * the local activity that releases those locks ({@link TargetLockRelease}). A
 * worker registering only the rollout leaves every rollout stuck at its first lock, so workers
 * built in code (tests, rehearsals, chaos) register through here; the Spring worker lists the same
 * four in {@code rollout-worker.yaml} (the release as the bean {@code targetLockRelease}).
 * Workers built here run on Temporal's Java test server (in a test, a rehearsal, a chaos run), so
 * their locks end by termination ({@link TargetLockReleaseImpl#onTestServer}).
 */
public final class RolloutWorkflows {
  private RolloutWorkflows() {}

  public static void registerOn(Worker worker) {
    worker.registerWorkflowImplementationTypes(RolloutWorkflowImpl.class, RolloutRecoveryWorkflowImpl.class,
        TargetLockWorkflowImpl.class);
    worker.registerActivitiesImplementations(TargetLockReleaseImpl.onTestServer());
  }

  public static void registerOn(Worker worker, WorkflowImplementationOptions options) {
    worker.registerWorkflowImplementationTypes(options, RolloutWorkflowImpl.class, RolloutRecoveryWorkflowImpl.class,
        TargetLockWorkflowImpl.class);
    worker.registerActivitiesImplementations(TargetLockReleaseImpl.onTestServer());
  }
}
