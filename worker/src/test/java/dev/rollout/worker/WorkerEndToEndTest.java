package dev.rollout.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Plan;
import dev.rollout.plan.Plans;
import dev.rollout.rehearsal.RehearsalWorld;
import dev.rollout.workflow.Outcome;
import dev.rollout.workflow.RolloutIds;
import dev.rollout.workflow.RolloutRequest;
import dev.rollout.workflow.RolloutResult;
import dev.rollout.workflow.RolloutWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The worker as it runs: embedded Temporal on a free port (real time), the real workflow, and the
 * recording activities instead of real systems. A short plan runs to the end.
 */
@SpringBootTest(
    classes = WorkerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {"rollout.temporal.embedded.port=0", "rollout.worker.activities=recording"})
@Import(RecordingActivityBeans.class)
class WorkerEndToEndTest {
  static final String PLAN =
      """
      apiVersion: rollout.dev/v1
      name: worker-e2e
      version: 1.0.0
      targets:
        - { service: greeter, environment: e2e }
      resources:
        routers:
          edge: { type: proxy, adminUrl: http://127.0.0.1:9/admin }
        metricSources:
          fixed: { type: scripted, values: { error_rate: 0.1 } }
      metrics:
        error_rate: { source: fixed, query: error_rate, unit: "%" }
      phases:
        - name: canary
          steps:
            - { kind: traffic, router: edge, percent: 25 }
          bake: 1s
          triggers:
            - { name: errors up, metric: error_rate, op: ">", threshold: 5%, interval: 1s, onNoData: pass }
        - name: full
          steps:
            - { kind: traffic, router: edge, percent: 100 }
      """;

  @Autowired WorkflowClient client;
  @Autowired EmbeddedTemporalServer.Target embedded;
  @Autowired RehearsalWorld world;

  @Test
  void runsAShortPlanToCompletionOnTheEmbeddedServer() throws Exception {
    assertThat(client.getWorkflowServiceStubs().getOptions().getTarget()).isEqualTo(embedded.address());
    Plan plan = Plans.parse(PLAN, "worker-e2e.yaml");
    String id = RolloutIds.forPlan(plan);
    RolloutWorkflow workflow =
        client.newWorkflowStub(
            RolloutWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(RolloutWorkflow.TASK_QUEUE).build());

    WorkflowClient.start(workflow::run, new RolloutRequest(id, plan, "tester", "worker-e2e.yaml"));
    RolloutResult result =
        client.newUntypedWorkflowStub(id).getResult(60, TimeUnit.SECONDS, RolloutResult.class);

    assertThat(result.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(world.weight("edge")).isEqualTo(100.0);
    assertThat(workflow.status().phaseCount()).isEqualTo(2);
    // The bake's trigger watch ran on the watch task queue, steps on the rollout queue.
    List<String> watchQueues = client.fetchHistory(id).getEvents().stream()
        .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
        .map(HistoryEvent::getActivityTaskScheduledEventAttributes)
        .filter(a -> a.getActivityType().getName().equals("Watch"))
        .map(a -> a.getTaskQueue().getName())
        .toList();
    assertThat(watchQueues).isNotEmpty().containsOnly(RolloutWorkflow.watchTaskQueue(RolloutWorkflow.TASK_QUEUE));
  }
}
