package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;

import dev.rollout.plan.Comparison;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Step;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.Scenario;
import dev.rollout.rehearsal.Scenario.CallRule;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records the rollback, blocked-rollback and cancel histories {@link ReplayTest} replays, into NEW
 * files only (an existing file is never overwritten):
 *
 * <pre>
 * mvn -B -o -pl rehearsal -am test -Dtest=RollbackHistories -Dhistories.recordNew=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfSystemProperty(named = "histories.recordNew", matches = "true")
class RollbackHistories {

  static Plan plan() {
    return TestPlans.plan("api", List.of(TestPlans.gate("error_rate", Comparison.GT, "5%")),
        phase("Canary")
            .steps(new Step.Backup(null, "orders"), new Step.Migrate(null, "orders", null, "v2"),
                new Step.Deploy(null, "api", "api:v2"), TestPlans.traffic(10),
                new Step.SetFlags(null, "flags", Map.of("new_ui", true)))
            .rollback(new Step.SetEnv(null, "api", Map.of("READ_ONLY", "true")))
            .bake(Duration.ofHours(2)).build());
  }

  @Test
  void record() throws IOException {
    // a trigger rolls back; the restore waits for a person, who decides it
    try (Rehearsal rehearsal = Rehearsal.open(RollbackScenariosTest.errorsFrom("Canary", null))) {
      RolloutWorkflow wf = rehearsal.start(plan(), "alice");
      RolloutStatus blocked = rehearsal.driveUntil(s -> s.state() == RolloutState.ROLLBACK_BLOCKED);
      String id = blocked.undos().stream().filter(u -> u.status() == UndoEntry.Status.NEEDS_DECISION).findFirst().orElseThrow().id();
      wf.retryUndo(new Actions.UndoAction("dba", "engineering-lead", id, "restore"));
      check(rehearsal.drive().result().outcome() == Outcome.ROLLED_BACK, "rollback");
      HistoryFixtures.writeNew(rehearsal, "rollback-restore-decided.json");
    }
    // an undo fails after its retries: blocked, then skipped with a reason
    CallRule routerDown = new CallRule("traffic", "setWeight", 2, null, "router admin API down");
    try (Rehearsal rehearsal = Rehearsal.open(RollbackScenariosTest.errorsFrom("Canary", List.of(routerDown)))) {
      RolloutWorkflow wf = rehearsal.start(TestPlans.withOrders(plan(), TestPlans.restoringOrders()), "alice");
      RolloutStatus blocked = rehearsal.driveUntil(s -> s.state() == RolloutState.ROLLBACK_BLOCKED);
      String id = blocked.undos().stream().filter(u -> u.status() == UndoEntry.Status.FAILED).findFirst().orElseThrow().id();
      wf.skipUndo(new Actions.UndoAction("bob", "devops", id, "set by hand on the router"));
      check(rehearsal.drive().result().outcome() == Outcome.ROLLED_BACK, "blocked rollback");
      HistoryFixtures.writeNew(rehearsal, "rollback-blocked-skipped.json");
    }
    // a Temporal cancel during the bake
    try (Rehearsal rehearsal = Rehearsal.open(Scenario.HAPPY)) {
      RolloutWorkflow wf = rehearsal.start(TestPlans.withOrders(plan(), TestPlans.restoringOrders()), "alice");
      Poll.state(wf, RolloutState.BAKING);
      WorkflowStub.fromTyped(wf).cancel();
      Poll.until(wf::status, s -> s.state().terminal());
      Poll.until(() -> rehearsal.client().fetchHistory(rehearsal.workflowId()).getLastEvent().getEventType().name(),
          type -> type.equals("EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED"));
      HistoryFixtures.writeNew(rehearsal, "cancel-during-bake.json");
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) throw new AssertionError(what + " did not end as recorded");
  }

}
