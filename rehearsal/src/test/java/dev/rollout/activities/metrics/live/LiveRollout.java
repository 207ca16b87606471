package dev.rollout.activities.metrics.live;

import dev.rollout.activities.metrics.MetricActivitiesImpl;
import dev.rollout.plan.Comparison;
import dev.rollout.plan.Gate;
import dev.rollout.plan.MetricQuery;
import dev.rollout.plan.NoDataAction;
import dev.rollout.plan.Notifications;
import dev.rollout.plan.Notifier;
import dev.rollout.plan.Phase;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Quantity;
import dev.rollout.plan.Resources;
import dev.rollout.plan.Router;
import dev.rollout.plan.Step;
import dev.rollout.plan.Target;
import dev.rollout.rehearsal.RecordingDatabase;
import dev.rollout.rehearsal.RecordingDeploy;
import dev.rollout.rehearsal.RecordingFlags;
import dev.rollout.rehearsal.RecordingHealth;
import dev.rollout.rehearsal.RecordingNotifications;
import dev.rollout.rehearsal.RecordingTraffic;
import dev.rollout.rehearsal.RehearsalWorld;
import dev.rollout.rehearsal.Scenario;
import dev.rollout.workflow.RolloutIds;
import dev.rollout.workflow.RolloutRequest;
import dev.rollout.workflow.RolloutWorkflow;
import dev.rollout.workflow.RolloutWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The rollout workflow on Temporal's test server in real time (bakes take their real length), with
 * the REAL metric activities reading the real Prometheus and recording fakes for everything else.
 */
final class LiveRollout implements AutoCloseable {
  final TestWorkflowEnvironment env;
  final RehearsalWorld world = new RehearsalWorld(Scenario.HAPPY);
  private final LivePrometheus prometheus;

  LiveRollout(LivePrometheus prometheus) {
    this.prometheus = prometheus;
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    dev.rollout.workflow.RolloutSearchAttributes.registerOn(env);
    Worker worker = env.newWorker(RolloutWorkflow.TASK_QUEUE);
    dev.rollout.workflow.RolloutWorkflows.registerOn(worker);
    MetricActivitiesImpl metrics = new MetricActivitiesImpl(prometheus.providers(), Clock.systemUTC());
    worker.registerActivitiesImplementations(
        metrics,
        new RecordingTraffic(world), new RecordingFlags(world), new RecordingDeploy(world),
        new RecordingDatabase(world), new RecordingHealth(world), new RecordingNotifications(world));
    env.newWorker(RolloutWorkflow.watchTaskQueue(RolloutWorkflow.TASK_QUEUE)).registerActivitiesImplementations(metrics);
    env.start();
  }

  /**
   * One phase: shift 10 % of traffic to the canary, then bake for {@code bake} while the plan-wide
   * trigger {@code error_rate > 1%} is checked every second.
   */
  Plan plan(Target target, Duration bake) {
    Gate trigger = new Gate("errors-up", "error_rate", Comparison.GT, Quantity.parse("1%"), null, null,
        Duration.ofSeconds(1), NoDataAction.PASS);
    Phase canary = new Phase("Canary", null, null, bake, null, null, null, null,
        List.of(new Step.ShiftTraffic("canary 10%", "main", 10)), null, null, null, null, null);
    Resources resources = new Resources(null, Map.of("main", new Router.HttpProxy("http://127.0.0.1:1/admin")), null,
        Map.of("prometheus", prometheus.source), null, Map.of("log", new Notifier.Log()));
    return new Plan("rollout/v1", "live-" + target.service(), "1.0", null, List.of(target), "UTC", List.of(),
        resources, Map.of("error_rate", new MetricQuery("prometheus", LivePrometheus.ERROR_RATE, "", null)),
        List.of(trigger), List.of(canary), new Notifications("log", null, null));
  }

  RolloutWorkflow start(Plan plan) {
    String id = RolloutIds.forPlan(plan);
    WorkflowClient client = env.getWorkflowClient();
    RolloutWorkflow workflow = client.newWorkflowStub(RolloutWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(RolloutWorkflow.TASK_QUEUE).build());
    WorkflowClient.start(workflow::run, new RolloutRequest(id, plan, "integration-test", "LiveRollout"));
    return workflow;
  }

  @Override
  public void close() {
    env.close();
  }
}
