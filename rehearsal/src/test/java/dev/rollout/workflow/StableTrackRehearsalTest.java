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
 * A trigger relative to the stable track in a rehearsal: judged by the worker's gate code on the
 * scripted values; the stable keeps what was scripted from the start, later rules are the canary's.
 */
class StableTrackRehearsalTest {
  static final Gate SLOWER_THAN_STABLE = new Gate("canary 20% slower than stable", "p95", Comparison.GT,
      Quantity.parse("20%"), null, Baseline.STABLE, Duration.ofMinutes(1), null);

  static Plan plan() {
    Map<String, MetricQuery> metrics = Map.of("p95",
        new MetricQuery("prom", "p95{version=\"${track}\"}", "ms", null, new Tracks("v2", "v1")));
    return new Plan("rollout/v1", "tracks", "1.0", null, List.of(new Target("tracks", "production")), "UTC",
        TestPlans.ROLES, TestPlans.resources(), metrics, List.of(SLOWER_THAN_STABLE), List.of(
            phase("Canary").steps(TestPlans.traffic(10)).bake(Duration.ofHours(2)).build(),
            phase("Everyone").steps(TestPlans.traffic(100)).bake(Duration.ofHours(2)).build()),
        new Notifications("log", null, null));
  }

  @Test
  void aCanarySlowerThanTheStableRollsBack() {
    Scenario slowCanary = new Scenario("slow canary", null, List.of(
        new MetricRule("p95", "100ms", null, null), new MetricRule("p95", "150ms", "Canary", null)),
        null, null, null, null);

    RehearsalResult r = Rehearsal.run(plan(), slowCanary);

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.result().trigger()).isEqualTo(SLOWER_THAN_STABLE.describe());
    assertThat(r.result().reason()).contains("p95 = 150ms > 120ms (stable 100ms +20%)");
  }

  @Test
  void loadOnBothTracksCompletes() {
    Scenario load = new Scenario("load", null, List.of(new MetricRule("p95", "400ms", null, null)),
        null, null, null, null);

    RehearsalResult r = Rehearsal.run(plan(), load);

    assertThat(r.result().outcome()).isEqualTo(Outcome.COMPLETED);
  }
}
