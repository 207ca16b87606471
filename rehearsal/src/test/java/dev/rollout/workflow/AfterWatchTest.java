package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Comparison;
import dev.rollout.plan.Notifications;
import dev.rollout.plan.Plan;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import dev.rollout.rehearsal.Scenario.MetricRule;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** "Continue monitoring for 2 weeks": the triggers stay armed after the last phase. */
class AfterWatchTest {
  static Plan plan() {
    Plan p = TestPlans.plan("api", List.of(TestPlans.gate("error_rate", Comparison.GT, "5%")),
        phase("Everyone").steps(TestPlans.traffic(100)).bake(Duration.ofHours(1)).build());
    return new Plan(p.apiVersion(), p.name(), p.version(), p.description(), p.targets(), p.timeZone(), p.roles(),
        p.resources(), p.metrics(), p.triggers(), p.phases(), new Notifications("log", null, null), null,
        Duration.ofDays(14));
  }

  @Test
  void theRolloutSaysItIsWatchingAndUntilWhenThenCompletes() {
    try (Rehearsal rehearsal = Rehearsal.open(Scenario.HAPPY)) {
      RolloutWorkflow wf = rehearsal.start(plan(), "alice");
      rehearsal.env().sleep(Duration.ofHours(2));
      RolloutStatus watching = Poll.state(wf, RolloutState.WATCHING);
      assertThat(watching.waitingFor().kind()).isEqualTo(RolloutStatus.WaitKind.WATCH);
      assertThat(Duration.between(watching.startedAt(), watching.waitingFor().until()))
          .isBetween(Duration.ofDays(14), Duration.ofDays(14).plusHours(2));
    }
    RehearsalResult done = Rehearsal.run(plan(), Scenario.HAPPY);
    assertThat(done.result().outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(done.simulated()).isGreaterThanOrEqualTo(Duration.ofDays(14));
  }

  @Test
  void aBreachDuringTheWatchRollsBack() {
    Scenario lateErrors = new Scenario("errors on day 10", null, List.of(new MetricRule("error_rate", "10%", null, "10d")),
        null, null, null, null);

    RehearsalResult r = Rehearsal.run(plan(), lateErrors);

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.result().reason()).contains("rollback trigger fired");
    assertThat(r.changes()).containsExactly("traffic.setWeight(main 100%)", "traffic.setWeight(main 0%)");
    assertThat(r.simulated()).isBetween(Duration.ofDays(10), Duration.ofDays(11));
  }
}
