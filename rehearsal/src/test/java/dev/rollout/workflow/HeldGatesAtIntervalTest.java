package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Comparison;
import dev.rollout.plan.Gate;
import dev.rollout.plan.GateFailureAction;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Quantity;
import dev.rollout.rehearsal.Call;
import dev.rollout.rehearsal.RecordingNotifications;
import dev.rollout.rehearsal.RecordingTraffic;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalWorld;
import dev.rollout.rehearsal.Scenario;
import dev.rollout.rehearsal.Scenario.MetricRule;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A phase that holds on a failed gate ({@code onGateFailure: hold}) watches its acceptance gates at
 * their interval during the bake too ({@value Changes#HOLD_GATES_AT_INTERVAL}): a gate checked
 * every 15 minutes holds within 15 minutes, not after a day's bake; the final evaluation stays.
 */
class HeldGatesAtIntervalTest {
  static final Gate LATENCY = new Gate(null, "p99_latency", Comparison.LT, Quantity.parse("1000ms"),
      Duration.ofMinutes(10), null, Duration.ofMinutes(15), null);

  static Plan heldOnFailure() {
    return TestPlans.plan("held", List.of(),
        phase("Canary").steps(TestPlans.traffic(10)).bake(Duration.ofHours(24)).gates(LATENCY)
            .onGateFailure(GateFailureAction.HOLD).build());
  }

  private static Instant at(Rehearsal rehearsal, String brief) {
    return rehearsal.world().calls().stream().filter(c -> c.brief().startsWith(brief)).map(Call::at).findFirst().orElseThrow();
  }

  @Test
  void aGateFailingFromTheStartHoldsWithinItsIntervalAndTheFinalEvaluationStays() {
    Scenario slow = new Scenario("slow", Instant.parse("2026-03-02T09:00:00Z"),
        List.of(new MetricRule("p99_latency", "1500ms", null, null)), null, null, null, null);
    try (Rehearsal rehearsal = Rehearsal.open(slow)) {
      RolloutWorkflow wf = rehearsal.start(heldOnFailure(), "alice");
      RolloutStatus held = Poll.state(wf, RolloutState.ON_HOLD);
      Instant bakeStart = at(rehearsal, "traffic.setWeight(main 10%)");
      Decision hold = held.decisions().stream().filter(d -> d.what().startsWith("gate failed")).findFirst().orElseThrow();
      assertThat(Duration.between(bakeStart, hold.at())).isLessThanOrEqualTo(Duration.ofMinutes(15));
      assertThat(held.waitingFor().item()).contains("p99_latency < 1000ms for 10m").contains("every 15m");
      assertThat(rehearsal.world().calls()).noneMatch(c -> c.brief().startsWith("metrics.evaluate"));

      // CONTINUE: the bake goes on to its end, where the gates are judged once more (and hold again)
      wf.decide(new Actions.Decide("bob", Actions.Choice.CONTINUE, "looking into it", "devops", held.waitingFor().id()));
      rehearsal.env().sleep(Duration.ofHours(24));
      RolloutStatus again = Poll.until(wf::status,
          s -> s.state() == RolloutState.ON_HOLD && !s.waitingFor().id().equals(held.waitingFor().id()));
      assertThat(at(rehearsal, "metrics.evaluate")).isAfterOrEqualTo(bakeStart.plus(Duration.ofHours(24)));
      wf.decide(new Actions.Decide("bob", Actions.Choice.CONTINUE, "accepted", "devops", again.waitingFor().id()));
      assertThat(WorkflowStub.fromTyped(wf).getResult(RolloutResult.class).outcome()).isEqualTo(Outcome.COMPLETED);
    }
  }

  @Test
  void aGateFailingMidBakeHoldsAtOnceAndRollbackCanBeChosen() {
    Plan plan = heldOnFailure();
    String id = RolloutIds.forPlan(plan);
    RehearsalWorld world = new RehearsalWorld(Scenario.HAPPY);
    GatesAtIntervalTest.FailingGate metrics = new GatesAtIntervalTest.FailingGate();
    try (RolloutTestEnvironment rollouts = RolloutTestEnvironment.builder()
        .activities(new RecordingTraffic(world), new RecordingNotifications(world)).metrics(metrics).start()) {
      TestWorkflowEnvironment env = rollouts.env();
      RolloutWorkflow wf = rollouts.begin(plan);
      Poll.until(metrics.watched::get, w -> !w.isEmpty());
      assertThat(metrics.watched.get()).singleElement().satisfies(g -> assertThat(g.gate().interval()).isEqualTo(Duration.ofMinutes(15)));

      Instant failedAt = Instant.ofEpochMilli(env.currentTimeMillis());
      metrics.fail.set(true);
      RolloutStatus held = Poll.state(wf, RolloutState.ON_HOLD);
      Decision hold = held.decisions().stream().filter(d -> d.what().startsWith("gate failed")).findFirst().orElseThrow();
      assertThat(Duration.between(failedAt, hold.at())).isLessThanOrEqualTo(Duration.ofMinutes(15));

      wf.decide(new Actions.Decide("bob", Actions.Choice.ROLLBACK, "too slow", "devops", held.waitingFor().id()));
      RolloutResult result = WorkflowStub.fromTyped(wf).getResult(RolloutResult.class);
      assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
      assertThat(result.trigger()).isEqualTo("gate failed");
      assertThat(result.reason()).contains("every 15m").endsWith("rollback chosen");
    }
  }
}
