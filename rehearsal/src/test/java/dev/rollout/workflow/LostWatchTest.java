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
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkflowImplementationOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A trigger watch whose worker goes away (killed, restarted: its heartbeat times out) is re-armed,
 * not taken for a verdict: a worker dying three times within one bake chunk used up the watch's
 * three attempts and rolled back a rollout nothing was wrong with.
 */
class LostWatchTest {
  private static final Duration BAKE = Duration.ofDays(1);
  /**
   * The one departure from production settings: the test server does not skip time while an
   * activity is started, so a lost attempt waits out its heartbeat timeout in wall time; 1 s, not
   * the production 2 min. The watch's retries (3 attempts) stay the workflow's own.
   */
  private static final WorkflowImplementationOptions SHORT_HEARTBEAT = WorkflowImplementationOptions.newBuilder()
      .setActivityOptions(Map.of("Watch", ActivityOptions.newBuilder().setHeartbeatTimeout(Duration.ofSeconds(1)).build()))
      .build();

  /** A watch whose first {@code lost} attempts die with their worker; later ones see nothing. */
  static final class DyingWatcher extends QuietMetrics {
    final int lost;
    final AtomicInteger attempts = new AtomicInteger();
    final boolean failsForGood;

    DyingWatcher(int lost, boolean failsForGood) {
      this.lost = lost;
      this.failsForGood = failsForGood;
    }

    @Override
    public WatchResult watch(String rolloutId, Target target, List<BoundGate> triggers, Duration watchFor) {
      if (failsForGood) throw ApplicationFailure.newNonRetryableFailure("watch misconfigured", "Broken");
      if (attempts.incrementAndGet() <= lost) {
        // The worker "dies": no heartbeat, no completion; the server times the attempt out.
        Activity.getExecutionContext().doNotCompleteOnReturn();
        return null;
      }
      return new WatchResult(null, List.of(), 1);
    }
  }

  private record Run(RolloutResult result, RehearsalWorld world, List<HistoryEvent> history) {
    long watchTimeouts() {
      return history.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT).count();
    }
  }

  /**
   * With {@code -Dhistories.record=true}, the first test writes its history (five watches lost and
   * re-armed, {@value LostWatch#REARM_LOST_WATCH} version 1) for {@link ReplayTest}, never over one.
   */
  static final String HISTORY = "lost-watch-rearmed.json";

  private static Run run(String name, DyingWatcher watcher) throws Exception {
    Plan plan = TestPlans.plan(name, List.of(TestPlans.gate("error_rate", Comparison.GT, "5%")),
        phase("Canary").steps(TestPlans.traffic(10)).bake(BAKE).build(),
        phase("Everyone").steps(TestPlans.traffic(100)).build());
    String id = RolloutIds.forPlan(plan);
    RehearsalWorld world = new RehearsalWorld(Scenario.HAPPY);
    try (RolloutTestEnvironment rollouts = RolloutTestEnvironment.builder().workflowOptions(SHORT_HEARTBEAT)
        .activities(new RecordingTraffic(world), new RecordingNotifications(world)).metrics(watcher).start()) {
      TestWorkflowEnvironment env = rollouts.env();
      RolloutWorkflow wf = rollouts.begin(plan);
      // Time skipping runs the day's bake; a hang fails at the deadline instead of blocking.
      RolloutResult result = WorkflowStub.fromTyped(wf).getResult(2, TimeUnit.MINUTES, RolloutResult.class);
      if (name.equals("lost-five") && Boolean.getBoolean("histories.record")) {
        java.nio.file.Path file = HistoryFixtures.DIR.resolve(HISTORY);
        if (!java.nio.file.Files.exists(file)) java.nio.file.Files.writeString(file, env.getWorkflowClient().fetchHistory(id).toJson(false));
      }
      return new Run(result, world, env.getWorkflowClient().fetchHistory(id).getEvents());
    }
  }

  @Test
  void aWatchKilledFiveTimesInOneBakeIsReArmedAndTheRolloutCompletes() throws Exception {
    // 15 attempts lost = 5 watches, each out of its 3 production attempts: before, the first one rolled back.
    DyingWatcher watcher = new DyingWatcher(15, false);
    Run run = run("lost-five", watcher);

    assertThat(run.result().outcome()).as(run.result().reason()).isEqualTo(Outcome.COMPLETED);
    assertThat(run.world().weight("main")).isEqualTo(100);
    assertThat(run.watchTimeouts()).as("watches lost with their worker (each after its last attempt)").isEqualTo(5);
    assertThat(watcher.attempts).hasValue(16);
    assertThat(run.result().decisions()).extracting(Decision::what)
        .filteredOn(w -> w.startsWith("trigger watch lost (no heartbeat: its worker went away); watching again"))
        .hasSize(5);
  }

  @Test
  void aWatchLostEveryTimeStillEndsInARollbackNotAnEndlessLoop() throws Exception {
    DyingWatcher watcher = new DyingWatcher(Integer.MAX_VALUE, false);
    Run run = run("lost-always", watcher);

    assertThat(run.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(run.result().trigger()).isEqualTo("trigger watch failed");
    assertThat(run.result().reason()).contains("could not watch the rollback triggers (lost " + LostWatch.LIMIT + " times in a row)");
    assertThat(run.watchTimeouts()).isEqualTo(LostWatch.LIMIT);
    assertThat(watcher.attempts).hasValue(3 * LostWatch.LIMIT);
    assertThat(run.world().weight("main")).as("the canary's traffic went back").isZero();
  }

  @Test
  void aWatchThatFailsForAnotherReasonIsStillAVerdict() throws Exception {
    Run run = run("watch-broken", new DyingWatcher(0, true));

    assertThat(run.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(run.result().reason()).contains("could not watch the rollback triggers: ").contains("NON_RETRYABLE_FAILURE")
        .doesNotContain("in a row");
    assertThat(run.result().decisions()).extracting(Decision::what).noneMatch(w -> w.startsWith("trigger watch lost"));
  }
}
