package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;

import dev.rollout.plan.Plan;
import dev.rollout.plan.RollbackScope;
import dev.rollout.rehearsal.RecordingNotifications;
import dev.rollout.rehearsal.RecordingTraffic;
import dev.rollout.rehearsal.RehearsalWorld;
import io.temporal.client.WorkflowStub;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import dev.rollout.rehearsal.Scenario.CallRule;
import dev.rollout.rehearsal.Scenario.MetricRule;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records the histories of the fewer-workflow-tasks changes (rollback-notice-alongside-undo,
 * target-locks-released-by-worker, and its fallback target-locks-released-together) for {@link
 * ReplayTest}, into NEW files only; list each in
 * {@code SHA256SUMS}:
 *
 * <pre>
 * mvn -B -o -pl rehearsal -am test -Dtest=RollbackTaskHistories -Dhistories.recordNew=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfSystemProperty(named = "histories.recordNew", matches = "true")
class RollbackTaskHistories {

  @Test
  void record() throws IOException {
    // the breach on day 10 of the watch again: the notice goes out with the first undo
    record("watch-breach-rollback-notice-alongside.json", AfterWatchTest.plan(),
        new Scenario("errors on day 10", null, List.of(new MetricRule("error_rate", "10%", null, "10d")),
            null, null, null, null));
    // a canary rolls back while its notifier is down: the undo does not wait for the retries
    record("rollback-notifier-down.json", RollbackTasksTest.canary(), RollbackScenariosTest.errorsFrom("Canary",
        List.of(new CallRule("notification", "notify", 0, "rolling back", "pager down"))));
    // a production breach rolls back all three targets; their three locks are signalled together
    record("promotion-rollback-locks-released-by-worker.json", PhaseTargetsTest.promotion(RollbackScope.ALL),
        PhaseTargetsTest.errorsFrom("Production"));
    // the worker cannot release the lock: the workflow signals it itself
    Plan plan = TestPlans.plan("api", List.of(), phase("Canary").steps(TestPlans.traffic(10)).build());
    RehearsalWorld world = new RehearsalWorld(Scenario.HAPPY);
    try (RolloutTestEnvironment rollouts = RolloutTestEnvironment.builder().withoutLockRelease()
        .activities(new RollbackTasksTest.FailingRelease(), new RecordingTraffic(world), new RecordingNotifications(world))
        .start()) {
      RolloutWorkflow wf = rollouts.begin(plan);
      if (WorkflowStub.fromTyped(wf).getResult(RolloutResult.class).outcome() != Outcome.COMPLETED) {
        throw new AssertionError("lock release fallback did not complete");
      }
      HistoryFixtures.writeNew(rollouts.client(), RolloutIds.forPlan(plan), "locks-released-together-fallback.json");
    }
  }

  private static void record(String name, dev.rollout.plan.Plan plan, Scenario scenario) throws IOException {
    try (Rehearsal rehearsal = Rehearsal.open(scenario)) {
      rehearsal.start(plan, Rehearsal.STARTER);
      RehearsalResult r = rehearsal.drive();
      if (r.result() == null || r.result().outcome() != Outcome.ROLLED_BACK) throw new AssertionError(name + " did not roll back");
      HistoryFixtures.writeNew(rehearsal, name);
    }
  }
}
