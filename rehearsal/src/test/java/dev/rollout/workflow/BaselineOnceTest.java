package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Baseline;
import dev.rollout.plan.Comparison;
import dev.rollout.plan.Gate;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Quantity;
import dev.rollout.rehearsal.Call;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Relative gates compare with one baseline, read before the first change and kept to the end. */
class BaselineOnceTest {
  private static Gate relative(String metric) {
    return new Gate(null, metric, Comparison.GT, Quantity.parse("20%"), null, Baseline.BASELINE, Duration.ofMinutes(1), null);
  }

  @Test
  void theBaselineIsReadOnceBeforeAnythingChanges() {
    Plan plan = TestPlans.plan("waves", List.of(),
        phase("Wave 1").steps(TestPlans.traffic(10)).bake(Duration.ofHours(1)).triggers(relative("error_rate")).build(),
        phase("Wave 2").steps(TestPlans.traffic(50)).bake(Duration.ofHours(1)).triggers(relative("p99_latency")).build(),
        phase("Wave 3").steps(TestPlans.traffic(100)).bake(Duration.ofHours(1)).triggers(relative("error_rate")).build());

    RehearsalResult r = Rehearsal.run(plan, Scenario.HAPPY);

    assertThat(r.result().outcome()).isEqualTo(Outcome.COMPLETED);
    List<Call> reads = r.calls().stream().filter(c -> c.method().equals("baseline")).toList();
    assertThat(reads).singleElement().satisfies(c -> assertThat(c.brief()).contains("error_rate").contains("p99_latency"));
    int read = r.calls().indexOf(reads.get(0));
    int firstChange = r.calls().indexOf(r.calls().stream().filter(c -> c.method().equals("setWeight")).findFirst().orElseThrow());
    assertThat(read).isLessThan(firstChange);
  }
}
