package dev.rollout.activities.gates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.activities.gates.GateCondition.Check;
import dev.rollout.activities.gates.GateCondition.Outcome;
import dev.rollout.plan.Baseline;
import dev.rollout.plan.Comparison;
import dev.rollout.plan.Gate;
import dev.rollout.plan.NoDataAction;
import dev.rollout.plan.Quantity.Unit;
import dev.rollout.plan.Quantity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A series that stopped two minutes into a three-minute window (its target went away: Prometheus
 * marks it stale and a range query returns nothing after that) passed "error_rate < 1% for 3m":
 * every sample it had was fine, and only the start and the gaps were checked. The end of the
 * window must be covered too.
 */
class StoppedSeriesTest {
  static final Instant T0 = Instant.parse("2026-12-02T07:00:00Z");
  static final Duration SLACK = Duration.ofSeconds(2);

  static Gate gate(String op, Baseline relativeTo) {
    return new Gate(null, "error_rate", Comparison.of(op), Quantity.parse("1%"), Duration.ofMinutes(3), relativeTo,
        Duration.ofSeconds(1), NoDataAction.HOLD);
  }

  @Test
  void aSeriesThatStoppedBeforeTheEndOfTheWindowDoesNotHold() {
    GateCondition low = new GateCondition(gate("<", null), Unit.NONE, null);
    assertThat(low.over(everySecond(0, 180, 0.001), T0, SLACK, SLACK).outcome()).isEqualTo(Outcome.HOLDS);

    Check stopped = low.over(everySecond(0, 120, 0.001), T0, SLACK, SLACK);
    assertThat(stopped.outcome()).isEqualTo(Outcome.DOES_NOT_HOLD);
    assertThat(stopped.detail()).contains("no sample in the last 1m of 3m").contains("stopped");
    // one step short of the end is still covered
    assertThat(low.over(everySecond(0, 178, 0.001), T0, SLACK, SLACK).outcome()).isEqualTo(Outcome.HOLDS);
  }

  @Test
  void aStableSeriesThatStoppedLeavesTheComparisonShortOfTheEnd() {
    GateCondition p95 = new GateCondition(new Gate(null, "p95", Comparison.LT, Quantity.parse("10%"), Duration.ofMinutes(3),
        Baseline.STABLE, Duration.ofSeconds(1), NoDataAction.HOLD), Unit.MILLISECONDS, null);
    Check stopped = p95.over(everySecond(0, 180, 50), everySecond(0, 100, 50), T0, SLACK, SLACK);
    assertThat(stopped.outcome()).isEqualTo(Outcome.DOES_NOT_HOLD);
    assertThat(stopped.detail()).contains("no sample in the last 1m20s of 3m");
  }

  private static List<Sample> everySecond(int from, int to, double value) {
    List<Sample> samples = new ArrayList<>();
    for (int s = from; s <= to; s++) samples.add(new Sample(T0.plusSeconds(s), value));
    return samples;
  }
}
