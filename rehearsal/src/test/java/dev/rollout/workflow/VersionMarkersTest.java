package dev.rollout.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Plan;
import dev.rollout.plan.RollbackScope;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.Scenario;
import dev.rollout.rehearsal.Scenario.MetricRule;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A new rollout records one version marker ({@value Changes#ENGINE}) instead of one per change id
 * (issue 13: the server keeps every rollout's history in memory; a baking rollout carried ~14
 * markers, half its payloads), and a rollout recorded before it still replays, asking each id.
 */
class VersionMarkersTest {

  /** The change ids of a history's version markers, in order (local activity markers left out). */
  static List<String> versionMarkers(WorkflowExecutionHistory history) {
    return history.getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED)
        .map(HistoryEvent::getMarkerRecordedEventAttributes)
        .filter(m -> m.getMarkerName().equals("Version"))
        .map(m -> m.getDetailsOrThrow("changeId").getPayloads(0).getData().toStringUtf8().replace("\"", ""))
        .toList();
  }

  private static WorkflowExecutionHistory rolledBack(Plan plan, Scenario scenario) {
    try (Rehearsal rehearsal = Rehearsal.open(scenario)) {
      rehearsal.start(plan, Rehearsal.STARTER);
      assertThat(rehearsal.drive().result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
      return rehearsal.client().fetchHistory(rehearsal.workflowId());
    }
  }

  @Test
  void aNewRolloutThatBakesAndRollsBackRecordsOneVersionMarker() throws Exception {
    // three targets, locks, baselines per target, watched bakes, a breach, undos, the rollback
    // notice and the locks released by the worker: nearly every change id is asked on this path
    WorkflowExecutionHistory promotion = rolledBack(PhaseTargetsTest.promotion(RollbackScope.ALL),
        PhaseTargetsTest.errorsFrom("Production"));
    assertThat(versionMarkers(promotion)).containsExactly(Changes.ENGINE);

    // the post-rollout watch breached on day 10: warning tiers, after-watch, rounded readings
    WorkflowExecutionHistory watched = rolledBack(AfterWatchTest.plan(),
        new Scenario("errors on day 10", null, List.of(new MetricRule("error_rate", "10%", null, "10d")),
            null, null, null, null));
    assertThat(versionMarkers(watched)).containsExactly(Changes.ENGINE);
  }

  @Test
  void aRolloutRecordedBeforeTheEngineMarkerStillReplaysAskingEachId() throws Exception {
    // recorded before engine-2026-12: 22 markers, one per change id it asked
    WorkflowExecutionHistory before = WorkflowExecutionHistory.fromJson(Files.readString(
        StoredHistories.DIR.resolve("promotion-rollback-locks-released-by-worker.json")));
    List<String> asked = versionMarkers(before);
    assertThat(asked).doesNotContain(Changes.ENGINE).contains(Changes.SAFE_ROLLBACK, TriggerGuard.TRIGGER_GUARD,
        TargetLocks.RELEASED_BY_WORKER, Rollback.NOTICE_ALONGSIDE_UNDO);
    // every id it asked is one the engine version folds in: the old path must still ask them all
    assertThat(Changes.FOLDED.keySet()).containsAll(asked);
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      Worker worker = env.newWorker(RolloutWorkflow.TASK_QUEUE,
          WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(30_000).build());
      worker.registerWorkflowImplementationTypes(RolloutWorkflowImpl.class);
      WorkflowReplayer.replayWorkflowExecution(before, worker);
    }
  }
}
