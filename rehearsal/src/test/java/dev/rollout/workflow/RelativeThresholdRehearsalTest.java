package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Baseline;
import dev.rollout.plan.Comparison;
import dev.rollout.plan.Gate;
import dev.rollout.plan.MetricQuery;
import dev.rollout.plan.Notifications;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Quantity;
import dev.rollout.plan.Target;
import dev.rollout.plan.Tracks;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import dev.rollout.rehearsal.Scenario.MetricRule;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Relative thresholds in a rehearsal mean what they mean on a worker: {@code pp} adds percentage
 * points to the baseline (or the stable), {@code %} scales it. The rehearsal once read every
 * relative threshold as proportional: an error rate of 3 % against a 1 % baseline (+200 %) tripped
 * a {@code > 5pp} trigger that allows up to 6 %.
 */
class RelativeThresholdRehearsalTest {

  static Plan plan(Gate trigger) {
    Map<String, MetricQuery> metrics = Map.of("error_rate",
        new MetricQuery("prom", "errors{version=\"${track}\"}", "%", null, new Tracks("v2", "v1")));
    return new Plan("rollout/v1", "errors", "1.0", null, List.of(new Target("errors", "production")), "UTC",
        TestPlans.ROLES, TestPlans.resources(), metrics, List.of(trigger), List.of(
            phase("Canary").steps(TestPlans.traffic(10)).bake(Duration.ofHours(2)).build(),
            phase("Everyone").steps(TestPlans.traffic(100)).bake(Duration.ofHours(2)).build()),
        new Notifications("log", null, null));
  }

  static Gate trigger(String threshold, Baseline against) {
    return new Gate("errors up " + threshold, "error_rate", Comparison.GT, Quantity.parse(threshold), null, against,
        Duration.ofMinutes(1), null);
  }

  /** 1 % before the change (the baseline, and the stable throughout), {@code canary} from phase Everyone. */
  static Scenario errors(String canary) {
    return new Scenario("errors " + canary, null, List.of(
        new MetricRule("error_rate", "1%", null, null), new MetricRule("error_rate", canary, "Everyone", null)),
        null, null, null, null);
  }

  @Test
  void threePercentAgainstAOnePercentBaselineStaysWithinFivePercentagePoints() {
    RehearsalResult r = Rehearsal.run(plan(trigger("5pp", Baseline.BASELINE)), errors("3%"));

    assertThat(r.result().outcome()).as(r.result().reason()).isEqualTo(Outcome.COMPLETED);
  }

  @Test
  void sevenPercentAgainstAOnePercentBaselineIsMoreThanFivePercentagePointsUp() {
    Gate fivePoints = trigger("5pp", Baseline.BASELINE);
    RehearsalResult r = Rehearsal.run(plan(fivePoints), errors("7%"));

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.result().trigger()).isEqualTo(fivePoints.describe());
    assertThat(r.result().reason()).contains("error_rate = 7% > 6% (baseline 1% +5pp)");
  }

  @Test
  void aPercentChangeScalesTheBaseline() {
    Gate half = trigger("50%", Baseline.BASELINE);
    RehearsalResult r = Rehearsal.run(plan(half), errors("3%"));

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.result().reason()).contains("error_rate = 3% > 1.5% (baseline 1% +50%)");
  }

  @Test
  void percentagePointsAgainstTheStableAddToTheStablesValue() {
    assertThat(Rehearsal.run(plan(trigger("5pp", Baseline.STABLE)), errors("3%")).result().outcome())
        .isEqualTo(Outcome.COMPLETED);
    RehearsalResult r = Rehearsal.run(plan(trigger("5pp", Baseline.STABLE)), errors("7%"));
    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.result().reason()).contains("error_rate = 7% > 6% (stable 1% +5pp)");
  }
}
