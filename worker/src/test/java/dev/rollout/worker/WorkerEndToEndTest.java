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
import dev.rollout.workflow.RolloutSearchAttributes;
import io.temporal.client.WorkflowOptions;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.List;
import io.temporal.common.SearchAttributes;
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
@org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability(tracing = false)
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
  @Autowired InProcessTemporal inProcess;
  @Autowired RehearsalWorld world;
  @Autowired io.micrometer.prometheusmetrics.PrometheusMeterRegistry prometheus;

  @Test
  void runsAShortPlanToCompletionOnTheEmbeddedServer() throws Exception {
    // The worker reaches its own embedded server in-process; the TCP port is for other processes.
    assertThat(client.getWorkflowServiceStubs().getRawChannel()).isSameAs(inProcess.channel());
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

    // On its embedded server the worker ended the target's lock by terminating it in the rollout's
    // last task (a cluster's worker signals it instead): the next rollout of the target can start.
    assertThat(client.newUntypedWorkflowStub(RolloutIds.lockId(plan.targets().get(0))).describe().getStatus())
        .isEqualTo(io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);

    // The search attributes registered at start-up were upserted (an unregistered one would have
    // stalled the rollout above).
    SearchAttributes sa = client.newUntypedWorkflowStub(id).describe().getTypedSearchAttributes();
    assertThat(sa.get(RolloutSearchAttributes.STATE)).isEqualTo("COMPLETED");
    assertThat(sa.get(RolloutSearchAttributes.OUTCOME)).isEqualTo("COMPLETED");
    assertThat(sa.get(RolloutSearchAttributes.TARGET)).containsExactly("greeter/e2e");
    assertThat(sa.get(RolloutSearchAttributes.PHASE)).isEqualTo("full");

    // The rollout's events reached the worker's Micrometer registry (exported at /actuator/prometheus);
    // the SDK's metrics scope reports them on its own interval, so wait for them (with a deadline).
    String scrape = prometheus.scrape();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!scrape.contains("rollout_finished_total") && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(100);
      scrape = prometheus.scrape();
    }
    // At least once, not exactly once: a workflow task that fails (here the deadlock detector on a
    // busy machine, seen in CI) runs again from scratch and emits its events again.
    assertThat(scrape)
        .containsPattern("rollout_started_total\\{[^}]*target=\"greeter/e2e\"[^}]*} [1-9]")
        .containsPattern("rollout_finished_total\\{[^}]*outcome=\"COMPLETED\"[^}]*target=\"greeter/e2e\"[^}]*} [1-9]");
    assertThat(scrape).doesNotContain("rollout_rollback_duration");

    // The embedded server answers visibility queries on the search attributes (EmbeddedVisibility).
    assertThat(client.listExecutions("RolloutState = 'COMPLETED' AND RolloutTarget = 'greeter/e2e'").toList())
        .extracting(m -> m.getExecution().getWorkflowId())
        .contains(id);
  }
}
