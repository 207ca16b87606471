package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Comparison;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Step;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.Scenario;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import java.util.ArrayList;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Temporal terminate skips the rollback (canary weight, flags stay); a recovery runs it from the
 * terminated run's leftover query, on the stand-in router and flag store of a rehearsal.
 */
class RecoverTerminatedTest {
  private static final String FLAG = "new-checkout";

  /** Flag on, 10 % to the canary, then a one-hour bake: where an admin's terminate lands. */
  static Plan canaryWithFlag() {
    return TestPlans.plan("recover", List.of(TestPlans.gate("error_rate", Comparison.GT, "5%")),
        phase("Canary")
            .steps(new Step.SetFlags(null, "flags", Map.of(FLAG, true)), TestPlans.traffic(10),
                TestPlans.bake(Duration.ofHours(1)), TestPlans.traffic(50))
            .build());
  }

  @Test
  void aRolloutTerminatedMidBakeIsRolledBackByItsRecoveryAndTheTargetIsFreeAgain() {
    try (Rehearsal r = Rehearsal.open(Scenario.HAPPY)) {
      Plan plan = canaryWithFlag();
      Object flagBefore = r.world().flags("flags").get(FLAG);
      RolloutWorkflow wf = r.start(plan, "alice");
      Poll.until(wf::brief, b -> b.state() == RolloutState.BAKING);
      assertThat(r.world().weight("main")).isEqualTo(10.0);
      assertThat(r.world().flags("flags").get(FLAG)).isEqualTo(true);

      String runId = terminate(wf);
      // What a terminate leaves: the canary weight, the flag on, the target's lock still held.
      assertThat(r.world().weight("main")).isEqualTo(10.0);
      assertThat(RollbackTasksTest.lockStatus(r.client(), plan.targets().get(0)))
          .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);

      RolloutLeftover left = leftoverOf(r.client(), r.workflowId(), runId);
      assertThat(left.state()).isEqualTo(RolloutState.BAKING);
      assertThat(left.undos()).extracting(UndoEntry::undo).hasAtLeastOneElementOfType(Undo.TrafficToStable.class)
          .hasAtLeastOneElementOfType(Undo.SetFlags.class);
      assertThat(left.undos()).allMatch(e -> e.status() == UndoEntry.Status.PENDING);

      RolloutResult result = WorkflowStub.fromTyped(recover(r.client(), runId, left, "carol"))
          .getResult(RolloutResult.class);

      assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
      assertThat(result.trigger()).isEqualTo(RolloutRecoveryWorkflowImpl.TRIGGER);
      assertThat(result.reason()).contains(runId).contains("recovered by carol");
      assertThat(r.world().weight("main")).isEqualTo(0.0);
      assertThat(r.world().flags("flags").get(FLAG)).isEqualTo(flagBefore);
      // The rollout id's status is now the recovery's: rolled back, who recovered it, every undo done.
      RolloutStatus status = r.client().newWorkflowStub(RolloutWorkflow.class, r.workflowId()).status();
      assertThat(status.state()).isEqualTo(RolloutState.ROLLED_BACK);
      assertThat(status.startedBy()).isEqualTo("alice");
      assertThat(status.decisions()).anySatisfy(d -> {
        assertThat(d.who()).isEqualTo("carol (devops)");
        assertThat(d.what()).contains("recovered terminated run " + runId);
      });
      assertThat(status.undos()).isNotEmpty().allMatch(e -> e.status() == UndoEntry.Status.DONE);

      // The lock is free: the next rollout of the target gets to its bake instead of being refused.
      RolloutWorkflow next = r.start(plan, "bob");
      Poll.until(next::brief, b -> b.state() == RolloutState.BAKING);
      assertThat(r.world().weight("main")).isEqualTo(10.0);
    }
  }

  @Test
  void anUndoThatFailsDuringTheRecoveryBlocksItUntilAPersonDecides() {
    Scenario routerDown = Scenario.parse("""
        failures:
          - {activity: traffic, method: setWeight, argsContain: "main 0%", message: router unreachable, nonRetryable: true}
        """);
    try (Rehearsal r = Rehearsal.open(routerDown)) {
      RolloutWorkflow wf = r.start(canaryWithFlag(), "alice");
      Poll.until(wf::brief, b -> b.state() == RolloutState.BAKING);
      String runId = terminate(wf);
      RolloutLeftover left = leftoverOf(r.client(), r.workflowId(), runId);
      RolloutRecoveryWorkflow recovery = recover(r.client(), runId, left, "carol");

      // The undo fails (for good: no retries to wait through); the recovery waits for people.
      RolloutWorkflow byId = r.client().newWorkflowStub(RolloutWorkflow.class, r.workflowId());
      RolloutStatus blocked = Poll.until(byId::status, s -> s.state() == RolloutState.ROLLBACK_BLOCKED);
      UndoEntry traffic = blocked.undos().stream().filter(e -> e.undo() instanceof Undo.TrafficToStable)
          .findFirst().orElseThrow();
      assertThat(traffic.status()).isEqualTo(UndoEntry.Status.FAILED);
      assertThat(traffic.error()).contains("router unreachable");
      // The flag's undo is another resource's: it ran anyway.
      assertThat(blocked.undos()).filteredOn(e -> e.undo() instanceof Undo.SetFlags)
          .allMatch(e -> e.status() == UndoEntry.Status.DONE);
      assertThat(r.world().weight("main")).isEqualTo(10.0);

      // Answered through the rollout id, as the API does: the recovery takes the same updates.
      byId.markUndoDone(new Actions.UndoAction("dave", "devops", traffic.id(), "set to 0% by hand on the router"));
      RolloutResult result = WorkflowStub.fromTyped(recovery).getResult(RolloutResult.class);

      assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
      assertThat(byId.status().undos()).filteredOn(e -> e.id().equals(traffic.id()))
          .singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(UndoEntry.Status.DONE);
            assertThat(e.by()).startsWith("dave");
          });
    }
  }

  @Test
  void aRunTerminatedDuringAWorkflowTaskIsReadFromItsCompletedTasks() {
    try (Rehearsal r = Rehearsal.open(Scenario.HAPPY)) {
      RolloutWorkflow wf = r.start(canaryWithFlag(), "alice");
      Poll.until(wf::brief, b -> b.state() == RolloutState.BAKING);
      String runId = terminate(wf);
      // The history of a terminate that lands while a workflow task runs: scheduled, started, terminated.
      List<HistoryEvent> events = new ArrayList<>(r.client().fetchHistory(r.workflowId(), runId).getEvents());
      HistoryEvent terminated = events.remove(events.size() - 1);
      HistoryEvent scheduled = last(events, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
      HistoryEvent started = last(events, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED);
      long next = terminated.getEventId();
      events.add(scheduled.toBuilder().setEventId(next).build());
      events.add(started.toBuilder().setEventId(next + 1).setWorkflowTaskStartedEventAttributes(
          started.getWorkflowTaskStartedEventAttributes().toBuilder().setScheduledEventId(next)).build());
      events.add(terminated.toBuilder().setEventId(next + 2).build());
      WorkflowExecutionHistory inFlight =
          new WorkflowExecutionHistory(History.newBuilder().addAllEvents(events).build(), r.workflowId());

      RolloutLeftover left = LeftoverReader.replayed(r.client(), inFlight);

      assertThat(left.state()).isEqualTo(RolloutState.BAKING);
      assertThat(left.request().startedBy()).isEqualTo("alice");
      assertThat(left.undos()).extracting(UndoEntry::undo).hasAtLeastOneElementOfType(Undo.TrafficToStable.class)
          .hasAtLeastOneElementOfType(Undo.SetFlags.class);
      assertThat(left.undos()).isEqualTo(LeftoverReader.read(r.client(), r.workflowId(), runId).undos());
    }
  }

  private static HistoryEvent last(List<HistoryEvent> events, EventType type) {
    for (int i = events.size() - 1; i >= 0; i--) if (events.get(i).getEventType() == type) return events.get(i);
    throw new AssertionError("no " + type);
  }

  /** Terminates the rollout's run as an admin would (Web UI, CLI); returns its run id. */
  static String terminate(RolloutWorkflow wf) {
    WorkflowStub stub = WorkflowStub.fromTyped(wf);
    String runId = stub.getExecution().getRunId();
    stub.terminate("terminated by an admin in the Web UI");
    return runId;
  }

  /** What the terminated run left, as the API reads it. */
  static RolloutLeftover leftoverOf(WorkflowClient client, String id, String runId) {
    return LeftoverReader.read(client, id, runId);
  }

  /** Starts the recovery as a new run of the rollout's id, as the API does. */
  static RolloutRecoveryWorkflow recover(WorkflowClient client, String runId, RolloutLeftover left, String user) {
    RolloutRecoveryWorkflow recovery = client.newWorkflowStub(RolloutRecoveryWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(left.request().rolloutId()).setTaskQueue(RolloutWorkflow.TASK_QUEUE).build());
    WorkflowClient.start(recovery::recover, left.request(), new RolloutRecovery(runId, left, user, "devops", "terminated by mistake"));
    return recovery;
  }
}
