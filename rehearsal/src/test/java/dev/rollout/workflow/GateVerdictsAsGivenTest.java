package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.activities.MetricActivities;
import dev.rollout.activities.gates.GateResults;
import dev.rollout.plan.CanaryAnalysis;
import dev.rollout.plan.Comparison;
import dev.rollout.plan.Gate;
import dev.rollout.plan.NoDataAction;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Quantity;
import dev.rollout.plan.Target;
import dev.rollout.rehearsal.RecordingNotifications;
import dev.rollout.rehearsal.RecordingTraffic;
import dev.rollout.rehearsal.RehearsalWorld;
import dev.rollout.rehearsal.Scenario;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The workflow takes each gate's verdict as the metric activity gives it ({@code
 * gate-verdicts-as-given}): the activity has applied the gate's {@code onNoData}. It once applied
 * {@code onNoData} a second time, matching results to gates by list index, so a gate with no data
 * took the {@code onNoData} of whichever gate stood at its place in the plan: here a missing error
 * rate passed on the latency gate's {@code onNoData: pass}.
 */
class GateVerdictsAsGivenTest {
  static final Gate ERRORS = new Gate("errors low", "error_rate", Comparison.LT, Quantity.parse("5%"), null, null,
      Duration.ofMinutes(1), NoDataAction.FAIL);
  static final Gate LATENCY = new Gate("latency low", "p99_latency", Comparison.LT, Quantity.parse("300ms"), null,
      null, Duration.ofMinutes(1), NoDataAction.PASS);
  static final Duration BAKE = Duration.ofSeconds(5);

  /** Answers the gates latency first, the error rate with NO_DATA (an older build's verdict). */
  static final class ResultsInTheirOwnOrder implements MetricActivities {
    @Override
    public List<GateResult> evaluate(String rolloutId, Target target, List<BoundGate> gates) {
      return List.of(
          new GateResult(GateResults.name(LATENCY), "p99_latency", 120.0, "< 300ms", Verdict.PASS, Instant.EPOCH, "120ms"),
          new GateResult(GateResults.name(ERRORS), "error_rate", null, "< 5%", Verdict.NO_DATA, Instant.EPOCH, "no data"));
    }

    @Override
    public WatchResult watch(String rolloutId, Target target, List<BoundGate> triggers, Duration watchFor) {
      return new WatchResult(null, List.of(), 0);
    }

    @Override
    public Map<String, Double> baseline(String rolloutId, Target target, List<BoundMetric> metrics) {
      return Map.of();
    }

    @Override
    public JudgeResult judge(String rolloutId, Target target, CanaryAnalysis analysis, Map<String, BoundMetric> metrics) {
      throw new UnsupportedOperationException("no canary analysis in this plan");
    }
  }

  @Test
  void aGateWithNoDataHoldsForAPersonWhateverTheOrderOfTheResults() {
    Plan plan = TestPlans.plan("no-data-order", List.of(),
        phase("Canary").steps(TestPlans.traffic(10)).bake(BAKE).gates(ERRORS, LATENCY).build());
    String id = RolloutIds.forPlan(plan);
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      RolloutSearchAttributes.registerOn(env);
      RehearsalWorld world = new RehearsalWorld(Scenario.HAPPY);
      MetricActivities metrics = new ResultsInTheirOwnOrder();
      // A busy machine can hold a cold first workflow task past the 1 s deadlock detector.
      Worker worker = env.newWorker(RolloutWorkflow.TASK_QUEUE,
          WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(10_000).build());
      RolloutWorkflows.registerOn(worker);
      worker.registerActivitiesImplementations(new RecordingTraffic(world), new RecordingNotifications(world), metrics);
      env.newWorker(RolloutWorkflow.watchTaskQueue(RolloutWorkflow.TASK_QUEUE)).registerActivitiesImplementations(metrics);
      env.start();
      RolloutWorkflow wf = env.getWorkflowClient().newWorkflowStub(RolloutWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(RolloutWorkflow.TASK_QUEUE).build());
      WorkflowClient.start(wf::run, new RolloutRequest(id, plan, "alice", "test"));
      Poll.state(wf, RolloutState.BAKING);

      env.sleep(BAKE.plusMillis(1));
      RolloutStatus s = Poll.until(wf::status, st -> st.state() == RolloutState.ON_HOLD || st.state().terminal());

      assertThat(s.state()).as("a missing error rate is neither passed nor failed: a person decides")
          .isEqualTo(RolloutState.ON_HOLD);
      assertThat(s.decisions()).anyMatch(d -> d.what().contains("errors low: no data"));
    }
  }
}
