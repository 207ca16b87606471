package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Comparison;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Target;
import dev.rollout.rehearsal.RecordingNotifications;
import dev.rollout.rehearsal.RecordingTraffic;
import dev.rollout.rehearsal.RehearsalWorld;
import dev.rollout.rehearsal.Scenario;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The bake-end race: the trigger watch returns in the very moment its chunk's timer fires. The
 * workflow must not cancel it (the server refuses to cancel an activity that just completed) and
 * must not lose what it saw.
 */
class BakeEndRaceTest {
  private static final Duration BAKE = Duration.ofSeconds(5);

  /**
   * Returns with the trigger fired only once the workflow has seen the chunk's timer fire and has
   * finished the task that handled it: exactly at the chunk's end, as late as the race allows.
   */
  static final class WatcherEndingWithTheChunk extends QuietMetrics {
    /** The environment's client, known once it started (before the rollout, so before any watch). */
    final java.util.concurrent.atomic.AtomicReference<WorkflowClient> client = new java.util.concurrent.atomic.AtomicReference<>();
    private final String workflowId;
    final AtomicBoolean returned = new AtomicBoolean();

    WatcherEndingWithTheChunk(String workflowId) {
      this.workflowId = workflowId;
    }

    @Override
    public WatchResult watch(String rolloutId, Target target, List<BoundGate> triggers, Duration watchFor) {
      Poll.until(() -> client.get().fetchHistory(workflowId).getEvents(), BakeEndRaceTest::timerFiredAndHandled);
      BoundGate t = triggers.get(0);
      GateResult fired = new GateResult(t.gate().describe(), t.gate().metric(), 12.0, "5%",
          Verdict.FAIL, Instant.EPOCH, "fired at the end of the chunk");
      returned.set(true);
      return new WatchResult(fired, List.of(fired), 1);
    }
  }

  static boolean timerFiredAndHandled(List<HistoryEvent> events) {
    boolean fired = false;
    for (HistoryEvent e : events) {
      if (e.getEventType() == EventType.EVENT_TYPE_TIMER_FIRED) fired = true;
      if (fired && e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) return true;
    }
    return false;
  }

  @Test
  void aWatchReturningAtTheChunkEndIsNotCancelledAndItsTriggerCounts() {
    Plan plan = TestPlans.plan("race", List.of(TestPlans.gate("error_rate", Comparison.GT, "5%")),
        phase("Canary").steps(TestPlans.traffic(10)).bake(BAKE).build());
    String id = RolloutIds.forPlan(plan);
    RehearsalWorld world = new RehearsalWorld(Scenario.HAPPY);
    WatcherEndingWithTheChunk watcher = new WatcherEndingWithTheChunk(id);
    try (RolloutTestEnvironment rollouts = RolloutTestEnvironment.builder()
        .activities(new RecordingTraffic(world), new RecordingNotifications(world)).metrics(watcher).start()) {
      TestWorkflowEnvironment env = rollouts.env();
      watcher.client.set(env.getWorkflowClient());
      RolloutWorkflow wf = rollouts.begin(plan);
      Poll.state(wf, RolloutState.BAKING);

      env.sleep(BAKE.plusMillis(1));
      Poll.until(watcher.returned::get, Boolean::booleanValue);
      Poll.until(wf::status, s -> s.state().terminal());
      RolloutResult result = WorkflowStub.fromTyped(wf).getResult(RolloutResult.class);

      assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
      assertThat(result.trigger()).isEqualTo("error_rate > 5%");
      assertThat(result.reason()).contains("rollback trigger fired");
      assertThat(env.getWorkflowClient().fetchHistory(id).getEvents())
          .noneMatch(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED)
          .noneMatch(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
    }
  }
}
