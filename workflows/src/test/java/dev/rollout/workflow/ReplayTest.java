package dev.rollout.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Replays the stored happy-path histories of the five seed plans against today's workflow code: a
 * change that would make running rollouts non-deterministic fails here. Regenerate them with
 * {@link HistoryFixtures} only for an intended change.
 */
class ReplayTest {
  static final java.util.List<String> PLANS = SeedPlans.NAMES;

  @ParameterizedTest
  @FieldSource("PLANS")
  void replaysTheStoredHistory(String plan) throws Exception {
    Path history = HistoryFixtures.DIR.resolve(plan + ".json");
    assertThat(history).exists();
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      // A cold JVM on a busy machine can take over a second for the first task; that is no deadlock.
      Worker worker = env.newWorker(RolloutWorkflow.TASK_QUEUE,
          WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(30_000).build());
      worker.registerWorkflowImplementationTypes(RolloutWorkflowImpl.class);
      WorkflowReplayer.replayWorkflowExecution(WorkflowExecutionHistory.fromJson(Files.readString(history)), worker);
    }
  }
}
