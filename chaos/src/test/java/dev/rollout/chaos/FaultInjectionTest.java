package dev.rollout.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Plan;
import dev.rollout.plan.Plans;
import dev.rollout.plan.Severity;
import dev.rollout.workflow.Actions;
import dev.rollout.workflow.Outcome;
import dev.rollout.workflow.RolloutIds;
import dev.rollout.workflow.RolloutRequest;
import dev.rollout.workflow.RolloutResult;
import dev.rollout.workflow.RolloutState;
import dev.rollout.workflow.RolloutStatus;
import dev.rollout.workflow.RolloutWorkflow;
import dev.rollout.workflow.UndoEntry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults injected into the targets of the real workflow, on the time-skipping test server: a 10
 * minute bake takes milliseconds, retries' back-off too. Each test says what a person would see.
 */
class FaultInjectionTest {

  final FaultyTargets targets = new FaultyTargets(Long.getLong("faults.seed", 15L));
  TestWorkflowEnvironment env;
  WorkflowClient client;

  /** A fresh summary file per run of this class. */
  @BeforeAll
  static void freshSummary() throws IOException {
    Files.deleteIfExists(Path.of("target", "faults-summary.txt"));
  }

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    // The workflow upserts search attributes; unregistered, it would stall.
    dev.rollout.workflow.RolloutSearchAttributes.registerOn(env);
    Worker worker = env.newWorker(RolloutWorkflow.TASK_QUEUE);
    dev.rollout.workflow.RolloutWorkflows.registerOn(worker);
    worker.registerActivitiesImplementations(targets.traffic, targets.flagActivities, targets.metrics, targets.notifications);
    // Trigger watches run on their own task queue: without a worker there, no trigger is watched.
    env.newWorker(RolloutWorkflow.watchTaskQueue(RolloutWorkflow.TASK_QUEUE)).registerActivitiesImplementations(targets.metrics);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void transientFailuresOfThirtyPercentOfAttemptsEndInCompletedRollouts() {
    targets.transientRate = 0.3;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) ids.add(start(plan("flaky-" + i, "rollback")));
    for (String id : ids) {
      RolloutResult result = result(id);
      assertThat(result.outcome()).as(id + ": " + result.reason()).isEqualTo(Outcome.COMPLETED);
      assertThat(targets.weights.get(id)).isEqualTo(100.0);
      assertThat(targets.flags.get(id)).containsEntry("feature_a", true).containsEntry("feature_b", "on");
    }
    summary(String.format("FAULTS: %d of %d activity attempts failed (injected transient failures, %.0f %%); all %d rollouts"
        + " completed by retry", targets.injected.get(), targets.attempts.get(), 100.0 * targets.injected.get() / targets.attempts.get(), ids.size()));
    assertThat((double) targets.injected.get() / targets.attempts.get()).isBetween(0.2, 0.4);
  }

  @Test
  void aStepThatFailsForGoodRollsBackWhatWasDoneByDefault() {
    targets.permanentAt = 50.0;
    String id = start(plan("permanent", "rollback"));
    RolloutResult result = result(id);
    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.trigger()).isEqualTo("step failed");
    assertThat(result.reason()).contains("rejects 50.0%");
    assertThat(targets.weights.get(id)).isEqualTo(0.0);
    assertThat(targets.flags.get(id)).doesNotContainKeys("feature_a", "feature_b");
  }

  @Test
  void aStepThatFailsForGoodHoldsForADecisionWhenThePlanSaysHold() {
    targets.permanentAt = 50.0;
    String id = start(plan("permanent-hold", "hold"));
    RolloutStatus held = awaitStatus(id, s -> s.state() == RolloutState.ON_HOLD);
    assertThat(held.waitingFor().item()).contains("rejects 50.0%");
    assertThat(targets.weights.get(id)).as("nothing undone while a person decides").isEqualTo(10.0);
    client.newWorkflowStub(RolloutWorkflow.class, id).decide(new Actions.Decide("carol", Actions.Choice.ROLLBACK, "not today", "SRE", held.waitingFor().id()));
    RolloutResult result = result(id);
    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(targets.weights.get(id)).isEqualTo(0.0);
  }

  @Test
  void anUndoThatFailsLeavesTheRollbackBlockedAlertsAndEndsWhenRetriedAfterTheRepair() {
    targets.breaksAt = 50.0;
    targets.stableRefused = true;
    String id = start(plan("blocked", "rollback"));
    RolloutStatus blocked = awaitStatus(id, s -> s.state() == RolloutState.ROLLBACK_BLOCKED);
    UndoEntry failed = blocked.undos().stream().filter(u -> u.status() == UndoEntry.Status.FAILED).findFirst().orElseThrow();
    assertThat(failed.description()).contains("back to stable");
    assertThat(failed.error()).contains("refuses to go back to stable");
    assertThat(blocked.undos()).as("the flags were put back though the router was not")
        .anyMatch(u -> u.description().contains("flags") && u.status() == UndoEntry.Status.DONE);
    assertThat(targets.alerts).anyMatch(a -> a.rolloutId().equals(id) && a.severity() == Severity.CRITICAL
        && a.title().contains("ROLLBACK BLOCKED") && a.message().contains(failed.id()));
    assertThat(targets.weights.get(id)).as("still on the canary: nobody pretends otherwise").isEqualTo(50.0);

    targets.stableRefused = false;
    client.newWorkflowStub(RolloutWorkflow.class, id).retryUndo(new Actions.UndoAction("carol", "SRE", failed.id(), "router repaired"));
    RolloutResult result = result(id);
    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(targets.weights.get(id)).isEqualTo(0.0);
  }

  @Test
  void aMetricSourceDownForAMinuteDuringABakeIsSurvived() {
    targets.metricsDownFrom = 50.0;
    targets.metricsDownFor = Duration.ofMinutes(1);
    String id = start(plan("outage", "rollback"));
    RolloutResult result = result(id);
    assertThat(result.outcome()).as(result.trigger() + ": " + result.reason()).isEqualTo(Outcome.COMPLETED);
    // Refused reads now include the trigger watch's (a missed reading, not a failed attempt).
    assertThat(targets.metricReadsRefused.get()).as("the outage really happened").isPositive();
    summary("FAULTS: metric source down for 1 minute of a bake (" + targets.metricReadsRefused.get()
        + " reads refused): the rollout completed");
  }

  /** Printed, and kept for scripts/benchmarks.sh. */
  private static void summary(String line) {
    System.out.println(line);
    try {
      Files.writeString(Path.of("target", "faults-summary.txt"), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String start(Plan plan) {
    String id = RolloutIds.forPlan(plan);
    RolloutWorkflow stub = client.newWorkflowStub(RolloutWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(RolloutWorkflow.TASK_QUEUE).build());
    WorkflowClient.start(stub::run, new RolloutRequest(id, plan, "dave", plan.name() + ".yaml"));
    return id;
  }

  private RolloutResult result(String id) {
    return WorkflowStub.fromTyped(client.newWorkflowStub(RolloutWorkflow.class, id)).getResult(RolloutResult.class);
  }

  /** Skips workflow time a minute at a time until the status matches (at most a day). */
  private RolloutStatus awaitStatus(String id, Predicate<RolloutStatus> wanted) {
    RolloutWorkflow stub = client.newWorkflowStub(RolloutWorkflow.class, id);
    for (int minute = 0; minute < 24 * 60; minute++) {
      RolloutStatus s = stub.status();
      if (wanted.test(s)) return s;
      if (s.state().terminal()) throw new AssertionError(id + " ended " + s.state() + " before reaching the awaited state");
      env.sleep(Duration.ofMinutes(1));
    }
    throw new AssertionError(id + " did not reach the awaited state within a day of workflow time");
  }

  /** Three phases (10, 50, 100 %), flags in the first two, 10-minute bakes watched every minute. */
  static Plan plan(String name, String onStepFailure) {
    String phases = "";
    int[] percents = {10, 50, 100};
    for (int i = 0; i < percents.length; i++) {
      phases += "  - name: wave-" + (i + 1) + "\n"
          + "    bake: 10m\n"
          + "    onStepFailure: " + onStepFailure + "\n"
          + "    steps:\n"
          + "      - {kind: traffic, router: edge, percent: " + percents[i] + "}\n"
          + (i == 0 ? "      - {kind: flags, store: flags, values: {feature_a: true}}\n" : "")
          + (i == 1 ? "      - {kind: flags, store: flags, values: {feature_b: \"on\"}}\n" : "")
          + "    triggers: [{name: errors, metric: error_rate, op: \">\", threshold: 1%, interval: 1m}]\n"
          + "    gates: [{name: errors low, metric: error_rate, op: \"<\", threshold: 1%}]\n";
    }
    String yaml = "apiVersion: rollout.dev/v1\n"
        + "name: " + name + "\n"
        + "targets: [{service: " + name + ", environment: test}]\n"
        + "roles: [Release Manager, SRE]\n"
        + "resources:\n"
        + "  routers: {edge: {type: proxy, adminUrl: \"http://127.0.0.1:9/fake\"}}\n"
        + "  flagStores: {flags: {type: file, path: /nonexistent/fake-flags.json}}\n"
        + "  metricSources: {app: {type: scripted, values: {error_rate: 0.1}}}\n"
        + "  notifiers: {log: {type: log}}\n"
        + "metrics:\n"
        + "  error_rate: {source: app, query: error_rate, unit: \"%\"}\n"
        + "notifications: {notifier: log}\n"
        + "phases:\n" + phases;
    return Plans.parse(yaml, name + ".yaml");
  }

}
