package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Comparison;
import dev.rollout.plan.Gate;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Target;
import dev.rollout.plan.TimeoutAction;
import dev.rollout.rehearsal.Call;
import dev.rollout.rehearsal.RecordingNotifications;
import dev.rollout.rehearsal.RecordingTraffic;
import dev.rollout.rehearsal.RehearsalWorld;
import dev.rollout.rehearsal.Scenario;
import io.temporal.activity.Activity;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A trigger set aside for being inconclusive (its source did not answer 4 reads in a row) is
 * watched again after its back-off ({@value SetAside#REARMED}): after a metrics outage, a real
 * breach rolls back within the back-off plus one interval, not at the end of the wait (an approval
 * can last a day) or the bake. Before, it stayed unwatched for the rest of the wait.
 */
class InconclusiveRearmTest {
  /** Checked every minute, {@code onNoData} left at its default (fail). */
  private static final Gate ERRORS = TestPlans.gate("error_rate", Comparison.GT, "5%");
  /** Ten intervals of one minute is less than the shortest back-off. */
  private static final Duration BACK_OFF = Duration.ofMinutes(15);

  /**
   * The metric source as the watch sees it, in simulated time from the first watch: unreadable for
   * 5 min (the watch reports the trigger INCONCLUSIVE, as the real one does after 4 failed reads in
   * a row), then readable and healthy, then from 10 min at 50 % errors (the trigger fires). A watch
   * answers at once with what it sees at its start; one that sees nothing leaves the workflow to
   * wait out its length.
   */
  static final class OutageThenBreach extends QuietMetrics {
    static final Duration UNREADABLE_FOR = Duration.ofMinutes(5);
    static final Duration BREACH_AFTER = Duration.ofMinutes(10);
    final List<String> watches = new CopyOnWriteArrayList<>();
    /** The rollout's status read by a watch after the first one (what people see at the re-arm). */
    final List<RolloutStatus> seenByLaterWatches = new CopyOnWriteArrayList<>();
    volatile Supplier<RolloutStatus> status;
    private Instant first;

    @Override
    public WatchResult watch(String rolloutId, Target target, List<BoundGate> triggers, Duration watchFor) {
      Instant now = Instant.ofEpochMilli(Activity.getExecutionContext().getInfo().getCurrentAttemptScheduledTimestamp());
      Instant start;
      synchronized (this) {
        if (first == null) first = now;
        start = first;
      }
      watches.add("+" + Duration.between(start, now).toMinutes() + "m " + triggers.stream().map(t -> t.gate().describe()).toList());
      if (watches.size() > 1 && status != null) seenByLaterWatches.add(status.get());
      BoundGate errors = triggers.stream().filter(t -> t.gate().metric().equals("error_rate")).findFirst().orElse(null);
      if (errors == null) return new WatchResult(null, List.of(), 1);
      String name = errors.gate().describe();
      if (now.isBefore(start.plus(UNREADABLE_FOR))) {
        GateResult unreadable = new GateResult(name, "error_rate", null, "5%", Verdict.INCONCLUSIVE, now,
            "prometheus: connection refused (4 failed reads in a row; fires after 4)");
        return new WatchResult(unreadable, List.of(unreadable), 4);
      }
      if (now.isBefore(start.plus(BREACH_AFTER))) return new WatchResult(null, List.of(), 1);
      GateResult breach = new GateResult(name, "error_rate", 50.0, "5%", Verdict.FAIL, now, "error_rate = 50% > 5%");
      return new WatchResult(breach, List.of(breach), 1);
    }
  }

  private record Run(RolloutResult result, RehearsalWorld world, OutageThenBreach metrics, Instant setAsideAt) {
    Instant undoneAt() {
      return world.calls().stream().filter(c -> c.brief().equals("traffic.setWeight(main 0%)")).map(Call::at)
          .findFirst().orElseThrow(() -> new AssertionError("never rolled back: " + result.outcome() + " " + result.reason()));
    }

    List<String> decided() {
      return result.decisions().stream().map(d -> d.what() + " | " + d.comment()).toList();
    }
  }

  @Test
  void aTriggerSetAsideDuringAnApprovalIsWatchedAgainAndABreachRollsBackBeforeTheApproval() throws Exception {
    // The next phase's approval waits a day (then aborts); the canary's trigger is watched meanwhile.
    Plan plan = TestPlans.plan("approval-outage", List.of(),
        phase("Canary").steps(TestPlans.traffic(10)).triggers(ERRORS).build(),
        phase("Everyone").entry(TestPlans.approval(Duration.ofDays(1), TimeoutAction.ABORT, "devops"))
            .steps(TestPlans.traffic(100)).build());
    RehearsalWorld world = new RehearsalWorld(Scenario.HAPPY);
    OutageThenBreach metrics = new OutageThenBreach();
    try (RolloutTestEnvironment rollouts = RolloutTestEnvironment.builder()
        .activities(new RecordingTraffic(world), new RecordingNotifications(world)).metrics(metrics).start()) {
      RolloutWorkflow wf = rollouts.begin(plan);
      metrics.status = wf::status;
      // Time stands still until the test waits for the result: the outage is seen first.
      RolloutStatus setAside = Poll.until(wf::status, s -> s.state() == RolloutState.WAITING_FOR_APPROVAL
          && s.decisions().stream().anyMatch(d -> d.what().startsWith("rollback trigger inconclusive")));
      Decision aside = setAside.decisions().stream().filter(d -> d.what().startsWith("rollback trigger inconclusive"))
          .findFirst().orElseThrow();
      assertThat(setAside.watchedTriggers()).as("set aside for now").doesNotContain(ERRORS.describe());
      assertThat(Poll.until(world::calls, calls -> calls.stream().anyMatch(c -> c.args().contains("trigger inconclusive"))))
          .as("people were told").isNotEmpty();

      RolloutResult result = WorkflowStub.fromTyped(wf).getResult(2, TimeUnit.MINUTES, RolloutResult.class);
      Run run = new Run(result, world, metrics, aside.at());

      assertThat(result.outcome()).as(result.reason()).isEqualTo(Outcome.ROLLED_BACK);
      assertThat(result.trigger()).as("rolled back by the trigger, not by the approval's deadline").isEqualTo(ERRORS.describe());
      assertThat(Duration.between(run.setAsideAt(), run.undoneAt())).isLessThanOrEqualTo(BACK_OFF.plus(ERRORS.interval()));
      assertThat(run.undoneAt()).isBefore(run.setAsideAt().plus(Duration.ofDays(1)));
      assertThat(aside.comment()).startsWith("not watching " + ERRORS.describe() + " for 15m");
      assertThat(run.decided()).anyMatch(d -> d.startsWith("watching " + ERRORS.describe() + " again"));
      assertThat(metrics.watches).as("watched again one back-off after it was set aside")
          .contains("+15m [" + ERRORS.describe() + "]");
      assertThat(metrics.seenByLaterWatches).as("the status shows it watched again")
          .anyMatch(s -> s.watchedTriggers().contains(ERRORS.describe()));
      if (Boolean.getBoolean("histories.record")) {
        HistoryFixtures.writeNew(rollouts.client(), RolloutIds.forPlan(plan), HISTORY);
      }
    }
  }

  /**
   * With {@code -Dhistories.record=true}, the approval test writes its history (a trigger set aside
   * and re-armed, {@value SetAside#REARMED} version 1) for {@link ReplayTest}, never over one.
   */
  static final String HISTORY = "inconclusive-trigger-rearmed-approval.json";

  @Test
  void aTriggerSetAsideByContinueInABakeIsWatchedAgainAndABreachRollsBackBeforeTheBakeEnds() throws Exception {
    Duration bake = Duration.ofHours(6);
    Plan plan = TestPlans.plan("bake-outage", List.of(),
        phase("Canary").steps(TestPlans.traffic(10)).bake(bake).triggers(ERRORS).build(),
        phase("Everyone").steps(TestPlans.traffic(100)).build());
    RehearsalWorld world = new RehearsalWorld(Scenario.HAPPY);
    OutageThenBreach metrics = new OutageThenBreach();
    try (RolloutTestEnvironment rollouts = RolloutTestEnvironment.builder()
        .activities(new RecordingTraffic(world), new RecordingNotifications(world)).metrics(metrics).start()) {
      RolloutWorkflow wf = rollouts.begin(plan);
      metrics.status = wf::status;
      RolloutStatus held = Poll.state(wf, RolloutState.ON_HOLD);
      assertThat(held.waitingFor().item()).contains("inconclusive").contains(ERRORS.describe());
      Instant bakeEnds = held.bakeEndsAt();
      Instant continuedAt = Instant.ofEpochMilli(rollouts.env().currentTimeMillis());
      wf.decide(new Actions.Decide("bob", Actions.Choice.CONTINUE, "prometheus is restarting, known", "devops", null));

      RolloutResult result = WorkflowStub.fromTyped(wf).getResult(2, TimeUnit.MINUTES, RolloutResult.class);
      Run run = new Run(result, world, metrics, continuedAt);

      assertThat(result.outcome()).as(result.reason()).isEqualTo(Outcome.ROLLED_BACK);
      assertThat(result.trigger()).isEqualTo(ERRORS.describe());
      assertThat(Duration.between(continuedAt, run.undoneAt())).isLessThanOrEqualTo(BACK_OFF.plus(ERRORS.interval()));
      if (bakeEnds != null) assertThat(run.undoneAt()).isBefore(bakeEnds);
      assertThat(run.undoneAt()).isBefore(continuedAt.plus(bake));
      assertThat(world.weight("main")).as("the canary's traffic went back").isZero();
      assertThat(run.decided()).anyMatch(d -> d.startsWith("not watching " + ERRORS.describe() + " for 15m")
          && d.endsWith("CONTINUE chosen"));
      assertThat(run.decided()).anyMatch(d -> d.startsWith("watching " + ERRORS.describe() + " again"));
      assertThat(metrics.seenByLaterWatches).anyMatch(s -> s.watchedTriggers().contains(ERRORS.describe()));
    }
  }

  @Test
  void aTriggerSetAsideByContinueIsWatchedAgainWhileTheBakeIsPaused() throws Exception {
    Plan plan = TestPlans.plan("paused-outage", List.of(),
        phase("Canary").steps(TestPlans.traffic(10)).bake(Duration.ofHours(6)).triggers(ERRORS).build(),
        phase("Everyone").steps(TestPlans.traffic(100)).build());
    RehearsalWorld world = new RehearsalWorld(Scenario.HAPPY);
    OutageThenBreach metrics = new OutageThenBreach();
    try (RolloutTestEnvironment rollouts = RolloutTestEnvironment.builder()
        .activities(new RecordingTraffic(world), new RecordingNotifications(world)).metrics(metrics).start()) {
      RolloutWorkflow wf = rollouts.begin(plan);
      Poll.state(wf, RolloutState.ON_HOLD);
      Instant continuedAt = Instant.ofEpochMilli(rollouts.env().currentTimeMillis());
      wf.decide(new Actions.Decide("bob", Actions.Choice.CONTINUE, "prometheus is restarting, known", "devops", null));
      Poll.state(wf, RolloutState.BAKING);
      wf.pause(new Actions.Operator("bob", "looking at a dashboard"));
      Poll.state(wf, RolloutState.PAUSED);

      RolloutResult result = WorkflowStub.fromTyped(wf).getResult(2, TimeUnit.MINUTES, RolloutResult.class);
      Run run = new Run(result, world, metrics, continuedAt);

      assertThat(result.outcome()).as("paused, never resumed: only the re-armed trigger ends it").isEqualTo(Outcome.ROLLED_BACK);
      assertThat(result.trigger()).isEqualTo(ERRORS.describe());
      assertThat(Duration.between(continuedAt, run.undoneAt())).isLessThanOrEqualTo(BACK_OFF.plus(ERRORS.interval()));
      assertThat(run.decided()).anyMatch(d -> d.startsWith("watching " + ERRORS.describe() + " again"));
    }
  }
}
