package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.activities.MetricActivities;
import dev.rollout.plan.CanaryAnalysis;
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
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
  static final class WatcherEndingWithTheChunk implements MetricActivities {
    private final WorkflowClient client;
    private final String workflowId;
    final AtomicBoolean returned = new AtomicBoolean();

    WatcherEndingWithTheChunk(WorkflowClient client, String workflowId) {
      this.client = client;
      this.workflowId = workflowId;
    }

    @Override
    public WatchResult watch(String rolloutId, Target target, List<BoundGate> triggers, Duration watchFor) {
      Poll.until(() -> client.fetchHistory(workflowId).getEvents(), BakeEndRaceTest::timerFiredAndHandled);
      BoundGate t = triggers.get(0);
      GateResult fired = new GateResult(t.gate().describe(), t.gate().metric(), 12.0, "5%",
          Verdict.FAIL, Instant.EPOCH, "fired at the end of the chunk");
      returned.set(true);
      return new WatchResult(fired, List.of(fired), 1);
    }

    @Override
    public Map<String, Double> baseline(String rolloutId, Target target, List<BoundMetric> metrics) {
      return Map.of();
    }

    @Override
    public List<GateResult> evaluate(String rolloutId, Target target, List<BoundGate> gates) {
      return List.of();
    }

    @Override
    public JudgeResult judge(String rolloutId, Target target, CanaryAnalysis analysis, Map<String, BoundMetric> metrics) {
      throw new UnsupportedOperationException("no canary analysis in this plan");
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
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      RolloutSearchAttributes.registerOn(env);
      RehearsalWorld world = new RehearsalWorld(Scenario.HAPPY);
      WatcherEndingWithTheChunk watcher = new WatcherEndingWithTheChunk(env.getWorkflowClient(), id);
      Worker worker = env.newWorker(RolloutWorkflow.TASK_QUEUE);
      RolloutWorkflows.registerOn(worker);
      worker.registerActivitiesImplementations(new RecordingTraffic(world), new RecordingNotifications(world), watcher);
      env.newWorker(RolloutWorkflow.watchTaskQueue(RolloutWorkflow.TASK_QUEUE)).registerActivitiesImplementations(watcher);
      env.start();
      RolloutWorkflow wf = env.getWorkflowClient().newWorkflowStub(RolloutWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(RolloutWorkflow.TASK_QUEUE).build());
      WorkflowClient.start(wf::run, new RolloutRequest(id, plan, "alice", "test"));
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
