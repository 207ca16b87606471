package dev.rollout.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.payload.RolloutPayloads;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Replays every stored history (the five seed plans' happy paths, and the rollback, blocked
 * rollback and cancel paths recorded by the rehearsal module's {@code RollbackHistories}) against today's workflow code: a change
 * that would make running rollouts non-deterministic fails here.
 */
class ReplayTest {
  static final java.util.List<String> PLANS = SeedPlans.NAMES;

  static java.util.List<String> histories() throws java.io.IOException {
    try (java.util.stream.Stream<Path> files = Files.list(StoredHistories.DIR)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
    }
  }

  @org.junit.jupiter.api.Test
  void everySeedPlanHasAStoredHistory() throws Exception {
    assertThat(histories()).containsAll(PLANS.stream().map(p -> p + ".json").toList());
  }

  /**
   * The history of a trigger set aside as inconclusive during an approval and re-armed after its
   * back-off (rehearsal module's {@code InconclusiveRearmTest}): it asked {@value SetAside#REARMED}
   * at the set-aside, so its replay runs the re-arm branch, not the old one.
   */
  @org.junit.jupiter.api.Test
  void theReArmedTriggerHistoryRecordsItsChangeAndReplays() throws Exception {
    String file = "inconclusive-trigger-rearmed-approval.json";
    WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(Files.readString(StoredHistories.DIR.resolve(file)));
    java.util.List<String> changes = history.getEvents().stream()
        .filter(io.temporal.api.history.v1.HistoryEvent::hasMarkerRecordedEventAttributes)
        .map(io.temporal.api.history.v1.HistoryEvent::getMarkerRecordedEventAttributes)
        .filter(m -> m.getMarkerName().equals("Version"))
        .map(m -> m.getDetailsOrThrow("changeId").getPayloads(0).getData().toStringUtf8())
        .toList();
    assertThat(changes).containsExactly("\"" + Changes.ENGINE + "\"", "\"" + SetAside.REARMED + "\"");
    replaysTheStoredHistory(file);
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("histories")
  void replaysTheStoredHistory(String file) throws Exception {
    Path history = StoredHistories.DIR.resolve(file);
    // With the worker's payload converter, as the worker replays (a default converter could read a
    // history the worker cannot, or the other way round).
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setDataConverter(RolloutPayloads.CONVERTER).build())
        .build())) {
      // A cold JVM on a busy machine can take over a second for the first task; that is no deadlock.
      Worker worker = env.newWorker(RolloutWorkflow.TASK_QUEUE,
          WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(30_000).build());
      // The recovery of a terminated rollout is a workflow type of its own (RecoveryHistories).
      worker.registerWorkflowImplementationTypes(RolloutWorkflowImpl.class, RolloutRecoveryWorkflowImpl.class);
      WorkflowReplayer.replayWorkflowExecution(WorkflowExecutionHistory.fromJson(Files.readString(history)), worker);
    }
  }
}
