package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Comparison;
import dev.rollout.plan.Gate;
import dev.rollout.plan.NoDataAction;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Quantity;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import dev.rollout.rehearsal.Scenario.MetricRule;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A trigger that cannot tell (no data, onNoData: hold) holds for a decision; one that fires rolls back. */
class InconclusiveTriggerTest {
  private static final Gate LATENCY_OR_HOLD = new Gate("p99 latency", "p99_latency", Comparison.GT,
      Quantity.parse("1000ms"), null, null, Duration.ofMinutes(1), NoDataAction.HOLD);

  private static Plan plan() {
    return TestPlans.plan("api", List.of(),
        phase("Canary").steps(TestPlans.traffic(10)).bake(Duration.ofHours(10)).triggers(LATENCY_OR_HOLD).build(),
        phase("Everyone").steps(TestPlans.traffic(100)).build());
  }

  private static Scenario noLatencyData(Map<String, Actions.Choice> decisions) {
    return new Scenario("no latency data", null, List.of(new MetricRule("p99_latency", "no data", null, null)),
        null, decisions, null, null);
  }

  @Test
  void anInconclusiveTriggerHoldsTheBakeAndContinueBakesOnWithoutIt() {
    try (Rehearsal rehearsal = Rehearsal.open(noLatencyData(null))) {
      RolloutWorkflow wf = rehearsal.start(plan(), "alice");
      RolloutStatus held = Poll.state(wf, RolloutState.ON_HOLD);
      assertThat(held.waitingFor().kind()).isEqualTo(RolloutStatus.WaitKind.DECISION);
      assertThat(held.waitingFor().item()).contains("inconclusive").contains("p99 latency");
      rehearsal.env().sleep(Duration.ofDays(2));
      assertThat(wf.status().state()).as("a hold waits for people, it does not roll back").isEqualTo(RolloutState.ON_HOLD);
      assertThat(rehearsal.world().weight("main")).isEqualTo(10);

      wf.decide(new Actions.Decide("bob", Actions.Choice.CONTINUE, "latency exporter is down, known", "devops", null));
      RolloutResult result = WorkflowStub.fromTyped(wf).getResult(RolloutResult.class);
      assertThat(result.outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(rehearsal.world().weight("main")).isEqualTo(100);
      assertThat(result.decisions()).extracting(Decision::what).anyMatch(w -> w.startsWith("still watching p99_latency > 1000ms for a breach"));
    }
  }

  @Test
  void anInconclusiveTriggerAnsweredWithRollbackRollsBack() {
    RehearsalResult r = Rehearsal.run(plan(), noLatencyData(Map.of("Canary", Actions.Choice.ROLLBACK)));
    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.result().trigger()).isEqualTo(LATENCY_OR_HOLD.describe());
    assertThat(r.result().reason()).contains("inconclusive").contains("rollback chosen");
    assertThat(r.result().decisions()).extracting(Decision::what).contains("decided ROLLBACK");
    assertThat(r.changes()).containsExactly("traffic.setWeight(main 10%)", "traffic.setWeight(main 0%)");
  }

  @Test
  void aTriggerThatFiresStillRollsBackAtOnce() {
    Scenario slow = new Scenario("slow", null, List.of(new MetricRule("p99_latency", "1500ms", null, null)),
        null, null, null, null);
    RehearsalResult r = Rehearsal.run(plan(), slow);
    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.result().trigger()).isEqualTo(LATENCY_OR_HOLD.describe());
    assertThat(r.result().decisions()).extracting(Decision::what).noneMatch(w -> w.startsWith("decided"));
  }
}
