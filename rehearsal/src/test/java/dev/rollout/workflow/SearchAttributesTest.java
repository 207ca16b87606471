package dev.rollout.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Plan;
import dev.rollout.plan.TimeoutAction;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.Scenario;
import dev.rollout.rehearsal.Scenario.CallRule;
import dev.rollout.rehearsal.Scenario.MetricRule;
import io.temporal.client.WorkflowClient;
import io.temporal.common.SearchAttributes;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Web UI lists rollouts by the typed search attributes the workflow upserts. The time-skipping
 * test server has no visibility queries (ListWorkflowExecutions is unimplemented), so this reads
 * the upserted values back with DescribeWorkflowExecution; the worker module lists by attribute
 * where that works.
 */
class SearchAttributesTest {

  @Test
  void aWaitingRolloutNamesTheRolesItWaitsFor() {
    Plan plan = TestPlans.plan("orders", List.of(),
        PhaseBuilder.phase("Canary").entry(TestPlans.approval(Duration.ofDays(1), TimeoutAction.ABORT, "engineering-lead"))
            .steps(TestPlans.traffic(10)).build());
    try (Rehearsal rehearsal = Rehearsal.open(Scenario.HAPPY)) {
      RolloutWorkflow wf = rehearsal.start(plan, Rehearsal.STARTER);
      Poll.state(wf, RolloutState.WAITING_FOR_APPROVAL);

      SearchAttributes sa = describe(rehearsal.client(), rehearsal.workflowId());
      assertThat(sa.get(RolloutSearchAttributes.STATE)).isEqualTo("WAITING_FOR_APPROVAL");
      assertThat(sa.get(RolloutSearchAttributes.WAITING_FOR)).containsExactly("engineering-lead");
      assertThat(sa.get(RolloutSearchAttributes.PHASE)).isEqualTo("Canary");
      assertThat(sa.get(RolloutSearchAttributes.TARGET)).containsExactly("orders/production");
      assertThat(sa.get(RolloutSearchAttributes.ENVIRONMENT)).containsExactly("production");
      assertThat(sa.get(RolloutSearchAttributes.PLAN)).isEqualTo("orders");
      assertThat(sa.containsKey(RolloutSearchAttributes.OUTCOME)).isFalse();

      var result = rehearsal.drive();
      assertThat(result.stuck()).isNull();
      assertThat(result.result().outcome()).isEqualTo(Outcome.COMPLETED);
      SearchAttributes done = describe(rehearsal.client(), rehearsal.workflowId());
      assertThat(done.get(RolloutSearchAttributes.STATE)).isEqualTo("COMPLETED");
      assertThat(done.get(RolloutSearchAttributes.OUTCOME)).isEqualTo("COMPLETED");
      assertThat(done.containsKey(RolloutSearchAttributes.WAITING_FOR)).as("waits for no one").isFalse();
    }
  }

  @Test
  void aBlockedRollbackListsAsRollbackBlockedNotCompleted() {
    CallRule restoreFails = new CallRule("database", "restore", 0, null, "backup file is corrupt");
    Scenario scenario = new Scenario("errors from Phase 5", null,
        List.of(new MetricRule("error_rate", "12%", "Phase 5", null)), null, null, List.of(restoreFails), null);
    try (Rehearsal rehearsal = Rehearsal.open(scenario)) {
      rehearsal.start(TestPlans.sevenDays(), Rehearsal.STARTER);
      // The restore waits for a person (or failed): the rollback stays open, the target locked.
      RolloutStatus blocked = rehearsal.driveUntil(s -> s.state() == RolloutState.ROLLBACK_BLOCKED);
      assertThat(blocked.state()).isEqualTo(RolloutState.ROLLBACK_BLOCKED);

      SearchAttributes sa = describe(rehearsal.client(), rehearsal.workflowId());
      assertThat(sa.get(RolloutSearchAttributes.STATE)).isEqualTo("ROLLBACK_BLOCKED");
      assertThat(sa.containsKey(RolloutSearchAttributes.OUTCOME)).as("not ended, so no outcome").isFalse();
      assertThat(sa.get(RolloutSearchAttributes.PHASE)).isEqualTo("Phase 5");
    }
  }

  private static SearchAttributes describe(WorkflowClient client, String id) {
    return client.newUntypedWorkflowStub(id).describe().getTypedSearchAttributes();
  }
}
