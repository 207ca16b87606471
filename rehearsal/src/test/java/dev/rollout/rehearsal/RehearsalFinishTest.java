package dev.rollout.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Plan;
import dev.rollout.plan.Plans;
import dev.rollout.workflow.Outcome;
import dev.rollout.workflow.RolloutState;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A rehearsal's driver that gave up on a call (its deadline passed on a slow machine) reports what
 * the rollout actually did: the result when the rollout ended meanwhile, "stuck" only when it is
 * still running (and then it is terminated). Time skipping: no sleeps, no real deadline passes.
 */
class RehearsalFinishTest {
  private static final String GAVE_UP = "gave up after 60 s waiting for what the rollout is doing";

  /** From a fixed Monday morning: the plan's 02:00-04:00 UTC windows must not make the run depend on the hour. */
  private static final Scenario MONDAY =
      new Scenario("happy, from a Monday morning", Instant.parse("2026-03-02T09:00:00Z"), null, null, null, null, null);

  private static Plan plan() {
    return Plans.load(Path.of("..", "plans", "drivemind-7-day.yaml"));
  }

  @Test
  void aRolloutThatEndedWhileTheDriverGaveUpIsReportedWithItsResultNotAsStuck() {
    try (Rehearsal rehearsal = Rehearsal.open(MONDAY)) {
      rehearsal.start(plan(), Rehearsal.STARTER);
      // The rollout runs to its end, as it does when only the driver's query was slow.
      rehearsal.driveUntil(s -> s.state().terminal());

      RehearsalResult r = rehearsal.finish(GAVE_UP);

      assertThat(r.stuck()).isNull();
      assertThat(r.result()).isNotNull();
      assertThat(r.result().outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(r.status().state()).isEqualTo(RolloutState.COMPLETED);
      assertThat(statusOf(rehearsal)).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    }
  }

  @Test
  void aRolloutStillRunningWhenTheDriverGaveUpIsReportedStuckAndTerminated() {
    try (Rehearsal rehearsal = Rehearsal.open(MONDAY)) {
      rehearsal.start(plan(), Rehearsal.STARTER);
      rehearsal.driveUntil(s -> s.state() == RolloutState.BAKING);

      RehearsalResult r = rehearsal.finish(GAVE_UP);

      assertThat(r.stuck()).isEqualTo(GAVE_UP);
      assertThat(r.result()).isNull();
      assertThat(statusOf(rehearsal)).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
    }
  }

  private static WorkflowExecutionStatus statusOf(Rehearsal rehearsal) {
    return rehearsal.client().getWorkflowServiceStubs().blockingStub()
        .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
            .setNamespace(rehearsal.client().getOptions().getNamespace())
            .setExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder().setWorkflowId(rehearsal.workflowId()))
            .build())
        .getWorkflowExecutionInfo().getStatus();
  }
}
