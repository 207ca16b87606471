package dev.rollout.workflow;


import dev.rollout.plan.Plan;
import dev.rollout.plan.RollbackScope;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records the histories of {@value TargetLocks#ENDED_BY_WORKER} for {@link ReplayTest}, into NEW
 * files only; list each in {@code SHA256SUMS}. Rollouts started now record {@value Changes#ENGINE}
 * version 2, which folds the change in ({@code engine-2026-12-v2-*.json}). The two files without
 * that prefix ({@code promotion-rollback-locks-ended-by-worker.json}, {@code
 * locks-ended-by-worker-signalled-on-cluster.json}) were recorded by this class when the change
 * still asked its own id under engine version 1: a rollout started on version 1 that ends on a
 * worker with the change.
 *
 * <pre>
 * mvn -B -o -pl rehearsal -am test -Dtest=LockEndHistories -Dhistories.recordNew=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfSystemProperty(named = "histories.recordNew", matches = "true")
class LockEndHistories {

  @Test
  void record() throws IOException {
    // a production breach rolls back all three targets; the worker terminates their three locks
    // and the rollout closes in the same task (the test server)
    try (Rehearsal rehearsal = Rehearsal.open(PhaseTargetsTest.errorsFrom("Production"))) {
      rehearsal.start(PhaseTargetsTest.promotion(RollbackScope.ALL), Rehearsal.STARTER);
      RehearsalResult r = rehearsal.drive();
      if (r.result() == null || r.result().outcome() != Outcome.ROLLED_BACK) throw new AssertionError("did not roll back");
      HistoryFixtures.writeNew(rehearsal, "engine-2026-12-v2-promotion-rollback-locks-ended.json");
    }
    // a worker configured for a cluster: it signals the lock and the rollout waits for its end
    Plan plan = RollbackTasksTest.oneStep();
    try (RolloutTestEnvironment rollouts = RollbackTasksTest.workerWith(TargetLockReleaseImpl.onCluster())) {
      RolloutWorkflow wf = rollouts.begin(plan);
      if (WorkflowStub.fromTyped(wf).getResult(RolloutResult.class).outcome() != Outcome.COMPLETED) {
        throw new AssertionError("the rollout did not complete");
      }
      HistoryFixtures.writeNew(rollouts.client(), RolloutIds.forPlan(plan), "engine-2026-12-v2-locks-signalled-on-cluster.json");
    }
  }
}
