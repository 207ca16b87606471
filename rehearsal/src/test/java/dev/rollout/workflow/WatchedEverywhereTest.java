package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Comparison;
import dev.rollout.plan.Gate;
import dev.rollout.plan.GateFailureAction;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Step;
import dev.rollout.plan.Target;
import dev.rollout.plan.Window;
import dev.rollout.rehearsal.Call;
import dev.rollout.rehearsal.RecordingNotifications;
import dev.rollout.rehearsal.RecordingTraffic;
import dev.rollout.rehearsal.RehearsalWorld;
import dev.rollout.rehearsal.Scenario;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Once something changed, the rollback triggers are watched in every state the rollout waits in:
 * a breach during a pause, a checklist wait, a window wait, the next phase's entry approval and a
 * hold rolls back within the trigger's interval plus one second of workflow time.
 */
class WatchedEverywhereTest {
  private static final Gate ERRORS = TestPlans.gate("error_rate", Comparison.GT, "5%");

  /**
   * A watcher like the real one: it keeps watching (here: until the test raises the breach) and
   * returns the moment a trigger fires. Before the test arms it, it answers at once, as the
   * rehearsal's does; gates it evaluates always fail (for the hold).
   */
  static final class BreachSwitch extends QuietMetrics {
    final AtomicBoolean armed = new AtomicBoolean();
    final AtomicBoolean breach = new AtomicBoolean();
    final List<List<String>> watches = new CopyOnWriteArrayList<>();

    @Override
    public WatchResult watch(String rolloutId, Target target, List<BoundGate> triggers, Duration watchFor) {
      watches.add(triggers.stream().map(t -> t.gate().describe()).toList());
      if (!armed.get()) return new WatchResult(null, List.of(), 1);
      Poll.until(breach::get, Boolean::booleanValue);
      BoundGate t = triggers.get(0);
      GateResult fired = new GateResult(t.gate().describe(), t.gate().metric(), 20.0, "5%", Verdict.FAIL,
          Instant.EPOCH, "breach raised by the test");
      return new WatchResult(fired, List.of(fired), 1);
    }

    @Override
    public List<GateResult> evaluate(String rolloutId, Target target, List<BoundGate> gates) {
      return gates.stream().map(g -> new GateResult(g.gate().describe(), g.gate().metric(), 1500.0, "1000ms",
          Verdict.FAIL, Instant.EPOCH, "slow")).toList();
    }
  }

  /** Runs {@code plan} until {@code waiting} holds with triggers watched, raises the breach, checks the rollback. */
  /** Monday 2026-03-02 09:00 UTC: every run of these tests starts at the same hour, whatever the wall clock says. */
  private static final Instant MONDAY_9AM = Instant.parse("2026-03-02T09:00:00Z");

  private static void breachWhile(Plan plan, Predicate<RolloutStatus> waiting) {
    breachWhile(plan, waiting, wf -> {});
  }

  private static void breachWhile(Plan plan, Predicate<RolloutStatus> waiting, Consumer<RolloutWorkflow> act) {
    RehearsalWorld world = new RehearsalWorld(Scenario.HAPPY);
    BreachSwitch metrics = new BreachSwitch();
    metrics.armed.set(true);
    try (RolloutTestEnvironment rollouts = RolloutTestEnvironment.builder().startingAt(MONDAY_9AM)
        .workerOptions(WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(10_000).build())
        .activities(new RecordingTraffic(world), new RecordingNotifications(world)).metrics(metrics).start()) {
      TestWorkflowEnvironment env = rollouts.env();
      RolloutWorkflow wf = rollouts.begin(plan);
      act.accept(wf);
      RolloutStatus before = Poll.until(wf::status, s -> waiting.test(s) && !s.watchedTriggers().isEmpty());
      assertThat(before.watchedTriggers()).contains(ERRORS.describe());

      Instant breachAt = Instant.ofEpochMilli(env.currentTimeMillis());
      metrics.breach.set(true);
      RolloutResult result = WorkflowStub.fromTyped(wf).getResult(RolloutResult.class);

      assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
      assertThat(result.trigger()).isEqualTo(ERRORS.describe());
      Call undo = world.calls().stream().filter(c -> c.brief().equals("traffic.setWeight(main 0%)")).findFirst().orElseThrow();
      assertThat(Duration.between(breachAt, undo.at())).isLessThanOrEqualTo(ERRORS.interval().plusSeconds(1));
    }
  }

  @Test
  void aBreachWhilePausedInABakeRollsBack() {
    Plan plan = TestPlans.plan("paused", List.of(ERRORS),
        phase("Canary").steps(TestPlans.traffic(10)).bake(Duration.ofHours(6)).build());
    breachWhile(plan, s -> s.state() == RolloutState.PAUSED, wf -> {
      Poll.state(wf, RolloutState.BAKING);
      wf.pause(new Actions.Operator("bob", "looking at a dashboard"));
    });
  }

  @Test
  void aBreachDuringAChecklistWaitRollsBack() {
    Plan plan = TestPlans.plan("checklist", List.of(ERRORS),
        phase("Canary").steps(TestPlans.traffic(10), new Step.Checklist("audit", "Security audit passed", List.of("devops")))
            .build());
    breachWhile(plan, s -> s.state() == RolloutState.WAITING_FOR_CHECKLIST);
  }

  @Test
  void aBreachWhileWaitingForTheNextWindowRollsBack() {
    // opens at 03:00 on Tuesday: from Monday 09:00 (not the wall clock, which failed CI at 03:04 UTC)
    Window tomorrowOnly = new Window(List.of(), LocalTime.of(3, 0), LocalTime.of(4, 0), "UTC");
    Plan plan = TestPlans.plan("window", List.of(ERRORS),
        phase("Canary").steps(TestPlans.traffic(10)).build(),
        phase("Everyone").window(tomorrowOnly).steps(TestPlans.traffic(100)).build());
    breachWhile(plan, s -> s.state() == RolloutState.WAITING_FOR_WINDOW && s.phaseIndex() == 1);
  }

  @Test
  void aBreachOfTheMovedPhasesOwnTriggerDuringTheNextEntryApprovalRollsBack() {
    // the trigger belongs to the phase that moved traffic, not to the plan
    Plan plan = TestPlans.plan("entry", List.of(),
        phase("Canary").steps(TestPlans.traffic(10)).triggers(ERRORS).build(),
        phase("Everyone").entry(TestPlans.approval(1, "devops")).steps(TestPlans.traffic(100)).build());
    breachWhile(plan, s -> s.state() == RolloutState.WAITING_FOR_APPROVAL && s.phaseIndex() == 1);
  }

  @Test
  void aBreachWhileOnHoldRollsBack() {
    Plan plan = TestPlans.plan("hold", List.of(ERRORS),
        phase("Canary").steps(TestPlans.traffic(10)).gates(TestPlans.gate("p99_latency", Comparison.LT, "1000ms"))
            .onGateFailure(GateFailureAction.HOLD).build());
    breachWhile(plan, s -> s.state() == RolloutState.ON_HOLD);
  }
}
