package dev.rollout.activities.gates;

import static org.assertj.core.api.Assertions.assertThat;

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
 * A reference of ±Inf (x/0 on a quiet stable, read as the baseline or as the stable's value) moved
 * a relative threshold to ±Inf: "p95 < baseline +20%" held whatever the canary did, and "p95 >
 * stable +20%" never fired. No threshold can be moved from it: no data.
 */
class InfiniteReferenceTest {
  static final Instant T0 = Instant.parse("2026-12-02T07:00:00Z");
  static final Duration SLACK = Duration.ofSeconds(2);

  static Gate gate(String op, Baseline relativeTo, Duration sustain) {
    return new Gate(null, "p95", Comparison.of(op), Quantity.parse("20%"), sustain, relativeTo, Duration.ofSeconds(1),
        NoDataAction.HOLD);
  }

  @Test
  void anInfiniteBaselineIsNoDataForAnInstantAndASustainedGate() {
    for (double inf : new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      GateCondition instant = new GateCondition(gate("<", Baseline.BASELINE, null), Unit.MILLISECONDS, inf);
      var check = instant.at(new Sample(T0, 5_000));
      assertThat(check.outcome()).isEqualTo(Outcome.NO_DATA);
      assertThat(check.detail()).contains("baseline is " + (inf > 0 ? "+Inf" : "-Inf"));
      GateCondition sustained = new GateCondition(gate(">", Baseline.BASELINE, Duration.ofSeconds(10)), Unit.MILLISECONDS, inf);
      assertThat(sustained.over(everySecond(10, 5_000, 5_000), T0, SLACK, SLACK).outcome()).isEqualTo(Outcome.NO_DATA);
    }
  }

  @Test
  void anInfiniteStableValueIsNoDataAtOneMomentAndLeftOutOfAWindow() {
    GateCondition instant = new GateCondition(gate("<", Baseline.STABLE, null), Unit.MILLISECONDS, null);
    var check = instant.at(new Sample(T0, 5_000), new Sample(T0, Double.POSITIVE_INFINITY));
    assertThat(check.outcome()).isEqualTo(Outcome.NO_DATA);
    assertThat(check.detail()).contains("stable's value is +Inf");

    GateCondition sustained = new GateCondition(gate(">", Baseline.STABLE, Duration.ofSeconds(10)), Unit.MILLISECONDS, null);
    // the canary five times the stable all along: fires; with the stable +Inf for the window, no data
    assertThat(sustained.over(everySecond(10, 500, 500), everySecond(10, 100, 100), T0, SLACK, SLACK).outcome())
        .isEqualTo(Outcome.HOLDS);
    assertThat(sustained.over(everySecond(10, 500, 500), everySecond(10, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY),
        T0, SLACK, SLACK).outcome()).isEqualTo(Outcome.NO_DATA);
  }

  @Test
  void anInfiniteCanaryValueIsStillComparedAgainstAFiniteThreshold() {
    GateCondition gate = new GateCondition(gate("<", Baseline.BASELINE, null), Unit.MILLISECONDS, 100.0);
    assertThat(gate.at(new Sample(T0, Double.POSITIVE_INFINITY)).outcome()).isEqualTo(Outcome.DOES_NOT_HOLD);
  }

  private static List<Sample> everySecond(int seconds, double first, double rest) {
    List<Sample> samples = new ArrayList<>();
    for (int s = 0; s <= seconds; s++) samples.add(new Sample(T0.plusSeconds(s), s == 0 ? first : rest));
    return samples;
  }
}
