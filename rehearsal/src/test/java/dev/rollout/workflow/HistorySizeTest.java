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
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An 8-week rollout checking triggers every minute keeps a small history. */
class HistorySizeTest {

  private static Gate everyMinute(String metric, String threshold) {
    return new Gate(null, metric, Comparison.GT, Quantity.parse(threshold), Duration.ofMinutes(3), null,
        Duration.ofMinutes(1), null);
  }

  @Test
  void eightWeeksCheckedEveryMinuteStaysUnderFiveThousandEvents() {
    List<Gate> triggers = List.of(everyMinute("error_rate", "1%"), everyMinute("p99_latency", "250ms"));
    Plan plan = TestPlans.plan("dealerscope", triggers,
        phase("Performance").steps(TestPlans.traffic(25)).bake(Duration.ofDays(14)).build(),
        phase("Security").steps(TestPlans.traffic(50)).bake(Duration.ofDays(14)).build(),
        phase("Data quality").steps(TestPlans.traffic(75)).bake(Duration.ofDays(14)).build(),
        phase("Scale").steps(TestPlans.traffic(100)).bake(Duration.ofDays(14)).build());

    RehearsalResult r = Rehearsal.run(plan, Scenario.HAPPY);

    assertThat(r.result().outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(r.simulated()).isGreaterThanOrEqualTo(Duration.ofDays(56));
    // 80,640 minute checks; one watch activity per day of bake instead
    assertThat(r.calls().stream().filter(c -> c.method().equals("watch")).count()).isEqualTo(56);
    assertThat(r.historyEvents()).isLessThan(5_000);
    System.out.printf("8 weeks, 1-minute checks: %d history events, %d ms wall%n", r.historyEvents(), r.wallTime().toMillis());
  }
}
