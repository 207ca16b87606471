package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.plan.Plan;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scenarios as people write them (YAML), and what they make a rehearsal do. */
class ScenarioFileTest {

  @Test
  void readsAScenarioAsWrittenInItsJavadoc() {
    Scenario s = Scenario.parse("""
        name: error spike in wave 3
        start: 2026-03-02T09:00:00Z
        metrics:
          - {metric: error_rate, value: 12%, fromPhase: Wave 3}
          - {metric: p99_latency, value: 900ms, after: 3d}
        approvals: {"Wave 2": reject, "Wave 4/exit": none}
        decisions: {"Wave 1": continue}
        failures:
          - {activity: traffic, method: setWeight, call: 3, message: router unreachable}
        hangs:
          - {activity: deploy, method: setImage, call: 1}
        """);

    assertThat(s.start()).isEqualTo(Instant.parse("2026-03-02T09:00:00Z"));
    assertThat(s.metrics().get(1).afterDuration()).isEqualTo(Duration.ofDays(3));
    assertThat(s.metrics().get(0).quantity().base()).isEqualTo(0.12);
    assertThat(s.answer("Wave 2", "entry-approval")).isEqualTo(Scenario.Answer.REJECT);
    assertThat(s.answer("Wave 4", "exit-approval")).isEqualTo(Scenario.Answer.NONE);
    assertThat(s.answer("Wave 4", "entry-approval")).isEqualTo(Scenario.Answer.APPROVE);
    assertThat(s.decision("Wave 1")).isEqualTo(Actions.Choice.CONTINUE);
    assertThat(s.decision("Wave 2")).isEqualTo(Actions.Choice.ROLLBACK);
    assertThat(s.failures()).singleElement().satisfies(f -> assertThat(f.call()).isEqualTo(3));
    assertThat(s.hangs()).singleElement().satisfies(h -> assertThat(h.method()).isEqualTo("setImage"));
  }

  @Test
  void aMisspelledFieldIsRefusedNamingIt() {
    assertThatThrownBy(() -> Scenario.parse("approval: {Wave 2: reject}"))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("approval");
  }

  @Test
  void aMetricScriptedAfterAnOffsetFiresTheTriggerFromThen() {
    Plan plan = TestPlans.plan("api", List.of(TestPlans.gate("error_rate", dev.rollout.plan.Comparison.GT, "5%")),
        phase("Canary").steps(TestPlans.traffic(10)).bake(Duration.ofDays(5)).build());
    Scenario s = Scenario.parse("metrics: [{metric: error_rate, value: 9%, after: 2d}]");

    RehearsalResult r = Rehearsal.run(plan, s);

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    // seen by the first watch at or after day 2 (one watch per day of bake)
    assertThat(r.simulated()).isBetween(Duration.ofDays(2), Duration.ofDays(2).plusMinutes(1));
    assertThat(r.changes()).containsExactly("traffic.setWeight(main 10%)", "traffic.setWeight(main 0%)");
  }
}
