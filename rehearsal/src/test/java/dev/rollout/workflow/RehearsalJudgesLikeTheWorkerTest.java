package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Comparison;
import dev.rollout.plan.Gate;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Quantity;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import dev.rollout.rehearsal.Scenario.MetricRule;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A rehearsal judges gates with the worker's own metric activities, reading the scenario's values:
 * a gate's {@code for} window covers the samples of the whole window, as on a worker. The
 * rehearsal's own copy of the gate logic once judged the latest value only, so a breach that
 * recovered a few minutes before the bake ended passed a gate that a worker would have failed.
 */
class RehearsalJudgesLikeTheWorkerTest {
  /** Error rate below 2 % over the last 30 minutes of the bake. */
  static final Gate LOW_ERRORS = new Gate("errors low", "error_rate", Comparison.LT, Quantity.parse("2%"),
      Duration.ofMinutes(30), null, Duration.ofMinutes(5), null);

  static Plan plan() {
    return TestPlans.plan("window", List.of(),
        phase("Canary").steps(TestPlans.traffic(10)).bake(Duration.ofHours(2)).gates(LOW_ERRORS).build());
  }

  /** 1 %, then {@code spike} from 80 to 100 minutes after the start, then 1 % again. */
  static Scenario spike(String spike) {
    return new Scenario("spike " + spike, null, List.of(
        new MetricRule("error_rate", "1%", null, null),
        new MetricRule("error_rate", spike, null, "80m"),
        new MetricRule("error_rate", "1%", null, "100m")), null, null, null, null);
  }

  @Test
  void aBreachInsideTheGatesWindowFailsItThoughItRecoveredBeforeTheBakeEnded() {
    RehearsalResult r = Rehearsal.run(plan(), spike("5%"));

    assertThat(r.result().outcome()).as(r.result().reason()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.result().trigger()).isEqualTo("gate failed");
    assertThat(r.result().reason()).contains("errors low");
  }

  @Test
  void aSpikeBelowTheThresholdPasses() {
    RehearsalResult r = Rehearsal.run(plan(), spike("1.5%"));

    assertThat(r.result().outcome()).as(r.result().reason()).isEqualTo(Outcome.COMPLETED);
  }
}
