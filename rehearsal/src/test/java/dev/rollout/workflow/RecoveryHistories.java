package dev.rollout.workflow;

import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.Scenario;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records the history of a {@link RolloutRecoveryWorkflow} for {@link ReplayTest}, into a NEW file
 * only; list it in {@code SHA256SUMS}: a rollout terminated mid-bake, its recovery blocked on the
 * router's undo, then marked done by a person.
 *
 * <pre>
 * mvn -B -o -pl rehearsal -am test -Dtest=RecoveryHistories -Dhistories.recordNew=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfSystemProperty(named = "histories.recordNew", matches = "true")
class RecoveryHistories {

  @Test
  void record() throws IOException {
    Scenario routerDown = Scenario.parse("""
        failures:
          - {activity: traffic, method: setWeight, argsContain: "main 0%", message: router unreachable, nonRetryable: true}
        """);
    try (Rehearsal r = Rehearsal.open(routerDown)) {
      RolloutWorkflow wf = r.start(RecoverTerminatedTest.canaryWithFlag(), "alice");
      Poll.until(wf::brief, b -> b.state() == RolloutState.BAKING);
      String runId = RecoverTerminatedTest.terminate(wf);
      RolloutLeftover left = LeftoverReader.read(r.client(), r.workflowId(), runId);
      RolloutRecoveryWorkflow recovery = RecoverTerminatedTest.recover(r.client(), runId, left, "carol");
      RolloutWorkflow byId = r.client().newWorkflowStub(RolloutWorkflow.class, r.workflowId());
      RolloutStatus blocked = Poll.until(byId::status, s -> s.state() == RolloutState.ROLLBACK_BLOCKED);
      String undo = blocked.undos().stream().filter(e -> e.status() == UndoEntry.Status.FAILED).findFirst().orElseThrow().id();
      byId.markUndoDone(new Actions.UndoAction("dave", "devops", undo, "set to 0% by hand on the router"));
      if (WorkflowStub.fromTyped(recovery).getResult(RolloutResult.class).outcome() != Outcome.ROLLED_BACK) {
        throw new AssertionError("the recovery did not roll back");
      }
      HistoryFixtures.writeNew(r, "engine-2026-12-v2-recovery-of-terminated-blocked-undo.json");
    }
  }
}
