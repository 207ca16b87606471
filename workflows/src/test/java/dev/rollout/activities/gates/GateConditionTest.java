package dev.rollout.activities.gates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

class GateConditionTest {
  static final Instant T0 = Instant.parse("2026-01-05T02:00:00Z");

  static Gate gate(String metric, String op, String threshold, Duration sustain, boolean relative) {
    return new Gate(null, metric, Comparison.of(op), Quantity.parse(threshold), sustain,
        relative ? Baseline.BASELINE : null, Duration.ofSeconds(10), NoDataAction.FAIL);
  }

  static Sample at(int second, double value) {
    return new Sample(T0.plusSeconds(second), value);
  }

  @Test
  void comparesInBaseUnitsAcrossMetricAndThresholdUnits() {
    // the query answers seconds; the plan says 200ms
    GateCondition p95 = new GateCondition(gate("p95_latency", "<", "200ms", null, false), Unit.SECONDS, null);
    assertThat(p95.at(at(0, 0.150)).outcome()).isEqualTo(Outcome.HOLDS);
    assertThat(p95.at(at(0, 0.250)).outcome()).isEqualTo(Outcome.DOES_NOT_HOLD);
    Check seen = p95.at(at(0, 0.250));
    assertThat(seen.threshold()).isEqualTo("< 200ms");
    assertThat(seen.detail()).isEqualTo("p95_latency = 250ms not < 200ms");
  }

  @Test
  void aRatioMeetsAPercentThreshold() {
    GateCondition errors = new GateCondition(gate("error_rate", ">", "1%", null, false), Unit.NONE, null);
    assertThat(errors.at(at(0, 0.012)).outcome()).isEqualTo(Outcome.HOLDS);
    assertThat(errors.at(at(0, 0.012)).detail()).isEqualTo("error_rate = 1.2% > 1%");
    assertThat(errors.at(at(0, 0.009)).outcome()).isEqualTo(Outcome.DOES_NOT_HOLD);
  }

  @Test
  void megabytesMeetBytes() {
    GateCondition memory = new GateCondition(gate("memory", "<", "120MB", null, false), Unit.BYTES, null);
    assertThat(memory.at(at(0, 119e6)).outcome()).isEqualTo(Outcome.HOLDS);
    assertThat(memory.at(at(0, 121e6)).outcome()).isEqualTo(Outcome.DOES_NOT_HOLD);
  }

  @Test
  void aTimeCannotBeComparedWithASize() {
    assertThatThrownBy(() -> new GateCondition(gate("p95_latency", "<", "120MB", null, false), Unit.SECONDS, null))
        .hasMessageContaining("120MB").hasMessageContaining("p95_latency").hasMessageContaining("measured in s");
  }

  @Test
  void relativePercentMovesTheThresholdFromTheBaseline() {
    // P99 +20 % against 200 ms captured at phase start: the line is 240 ms
    GateCondition p99 = new GateCondition(gate("p99_latency", ">", "20%", null, true), Unit.MILLISECONDS, 200.0);
    assertThat(p99.at(at(0, 239)).outcome()).isEqualTo(Outcome.DOES_NOT_HOLD);
    assertThat(p99.at(at(0, 241)).outcome()).isEqualTo(Outcome.HOLDS);
    assertThat(p99.at(at(0, 241)).threshold()).isEqualTo("> 240ms (baseline 200ms +20%)");
  }

  @Test
  void relativeWithAUnitAddsToTheBaseline() {
    GateCondition p99 = new GateCondition(gate("p99_latency", ">", "50ms", null, true), Unit.SECONDS, 0.2);
    assertThat(p99.at(at(0, 0.249)).outcome()).isEqualTo(Outcome.DOES_NOT_HOLD);
    assertThat(p99.at(at(0, 0.251)).outcome()).isEqualTo(Outcome.HOLDS);
  }

  @Test
  void percentagePointsAddToTheBaselineWherePercentScalesIt() {
    // "error rate increases by >5 %" from 2 %: +5pp is 7 %, +5% is 2.1 %
    GateCondition points = new GateCondition(gate("error_rate", ">", "5pp", null, true), Unit.PERCENT, 2.0);
    GateCondition percent = new GateCondition(gate("error_rate", ">", "5%", null, true), Unit.PERCENT, 2.0);
    assertThat(points.at(at(0, 6.9)).outcome()).isEqualTo(Outcome.DOES_NOT_HOLD);
    assertThat(points.at(at(0, 7.1)).outcome()).isEqualTo(Outcome.HOLDS);
    assertThat(points.at(at(0, 7.1)).threshold()).isEqualTo("> 7% (baseline 2% +5pp)");
    assertThat(percent.at(at(0, 2.2)).outcome()).isEqualTo(Outcome.HOLDS);
    assertThat(percent.at(at(0, 2.2)).threshold()).isEqualTo("> 2.1% (baseline 2% +5%)");
  }

  @Test
  void percentagePointsPassAZeroBaselineThatAPercentChangeCannot() {
    // DealerScope's "<0.1 % error rate increase" against an error-free baseline (a ratio metric)
    GateCondition points = new GateCondition(gate("error_rate", "<", "0.1pp", null, true), Unit.NONE, 0.0);
    GateCondition percent = new GateCondition(gate("error_rate", "<", "0.1%", null, true), Unit.NONE, 0.0);
    assertThat(points.at(at(0, 0.0005)).outcome()).isEqualTo(Outcome.HOLDS);
    assertThat(points.at(at(0, 0.0011)).outcome()).isEqualTo(Outcome.DOES_NOT_HOLD);
    assertThat(percent.at(at(0, 0.0)).outcome()).isEqualTo(Outcome.DOES_NOT_HOLD);
  }

  @Test
  void aRelativeGateWithoutABaselineHasNoData() {
    GateCondition p99 = new GateCondition(gate("p99_latency", ">", "20%", null, true), Unit.MILLISECONDS, null);
    Check check = p99.at(at(0, 500));
    assertThat(check.outcome()).isEqualTo(Outcome.NO_DATA);
    assertThat(check.detail()).contains("no baseline");
  }

  @Test
  void noSampleOrNaNIsNoData() {
    GateCondition errors = new GateCondition(gate("error_rate", ">", "1%", null, false), Unit.NONE, null);
    assertThat(errors.at(null).outcome()).isEqualTo(Outcome.NO_DATA);
    assertThat(errors.at(at(0, Double.NaN)).outcome()).isEqualTo(Outcome.NO_DATA);
  }

  @Test
  void sustainedHoldsOnlyWhenEverySampleInTheWindowHolds() {
    GateCondition errors = new GateCondition(gate("error_rate", ">", "1%", Duration.ofMinutes(3), false), Unit.NONE, null);
    List<Sample> all = everySecond(0, 180, 0.05);
    assertThat(errors.over(all, T0, Duration.ofSeconds(2), Duration.ofSeconds(2)).outcome()).isEqualTo(Outcome.HOLDS);
    List<Sample> oneDip = new ArrayList<>(all);
    oneDip.set(90, at(90, 0.001));
    Check dipped = errors.over(oneDip, T0, Duration.ofSeconds(2), Duration.ofSeconds(2));
    assertThat(dipped.outcome()).isEqualTo(Outcome.DOES_NOT_HOLD);
    assertThat(dipped.detail()).contains("at 180 of 181 samples over 3m");
  }

  @Test
  void sustainedNeedsSamplesCoveringTheWholeWindow() {
    GateCondition errors = new GateCondition(gate("error_rate", ">", "1%", Duration.ofMinutes(3), false), Unit.NONE, null);
    // breaching, but only for the last 40 s of the 3 minutes
    Check young = errors.over(everySecond(140, 180, 0.05), T0, Duration.ofSeconds(2), Duration.ofSeconds(2));
    assertThat(young.outcome()).isEqualTo(Outcome.DOES_NOT_HOLD);
    assertThat(young.detail()).contains("for only 40s of 3m");
    // a gap of a minute in the middle breaks the run
    List<Sample> gap = new ArrayList<>(everySecond(0, 60, 0.05));
    gap.addAll(everySecond(120, 180, 0.05));
    assertThat(errors.over(gap, T0, Duration.ofSeconds(2), Duration.ofSeconds(2)).outcome()).isEqualTo(Outcome.DOES_NOT_HOLD);
    assertThat(errors.over(List.of(), T0, Duration.ofSeconds(2), Duration.ofSeconds(2)).outcome()).isEqualTo(Outcome.NO_DATA);
  }

  static Gate againstStable(String op, String threshold, Duration sustain) {
    return new Gate(null, "p95_latency", Comparison.of(op), Quantity.parse(threshold), sustain, Baseline.STABLE,
        Duration.ofSeconds(10), NoDataAction.FAIL);
  }

  @Test
  void aCanaryThirtyPercentSlowerThanTheStableAtTheSameMomentFailsAPlusTenPercentGate() {
    GateCondition p95 = new GateCondition(againstStable("<", "10%", null), Unit.MILLISECONDS, null);
    Check slow = p95.at(at(0, 65), at(0, 50));
    assertThat(slow.outcome()).isEqualTo(Outcome.DOES_NOT_HOLD);
    assertThat(slow.threshold()).isEqualTo("< 55ms (stable 50ms +10%)");
    assertThat(slow.detail()).isEqualTo("p95_latency = 65ms not < 55ms (stable 50ms +10%)");
  }

  @Test
  void loadThatSlowsBothTracksDoesNotCountAgainstTheCanary() {
    GateCondition p95 = new GateCondition(againstStable("<", "10%", null), Unit.MILLISECONDS, null);
    // both twice as slow as before: a baseline gate would fail, the canary is no worse than the stable
    assertThat(p95.at(at(0, 104), at(0, 100)).outcome()).isEqualTo(Outcome.HOLDS);
  }

  @Test
  void aUnitThresholdAgainstTheStableAdds() {
    GateCondition p95 = new GateCondition(againstStable("<", "20ms", null), Unit.SECONDS, null);
    assertThat(p95.at(at(0, 0.069), at(0, 0.050)).outcome()).isEqualTo(Outcome.HOLDS);
    assertThat(p95.at(at(0, 0.071), at(0, 0.050)).outcome()).isEqualTo(Outcome.DOES_NOT_HOLD);
  }

  @Test
  void eitherTrackWithoutDataIsNoDataNamingWhich() {
    GateCondition p95 = new GateCondition(againstStable("<", "10%", null), Unit.MILLISECONDS, null);
    assertThat(p95.at(at(0, 60), null).detail()).isEqualTo("the stable's query returned no data");
    assertThat(p95.at(null, at(0, 60)).detail()).isEqualTo("the canary's query returned no data");
    assertThat(p95.at(at(0, 60), at(0, Double.NaN)).outcome()).isEqualTo(Outcome.NO_DATA);
  }

  @Test
  void sustainedAgainstTheStableComparesEachMomentWithTheStableOfThatMoment() {
    GateCondition p95 = new GateCondition(againstStable(">", "20%", Duration.ofMinutes(1)), Unit.MILLISECONDS, null);
    // the stable's latency climbs from 50 to 110 ms under load; the canary stays 25 % above it all the while
    List<Sample> stable = new ArrayList<>();
    List<Sample> canary = new ArrayList<>();
    for (int s = 0; s <= 60; s++) {
      stable.add(at(s, 50 + s));
      canary.add(at(s, (50 + s) * 1.25));
    }
    Check breached = p95.over(canary, stable, T0, Duration.ofSeconds(2), Duration.ofSeconds(2));
    assertThat(breached.outcome()).isEqualTo(Outcome.HOLDS);
    assertThat(breached.threshold()).isEqualTo("> 132ms (stable 110ms +20%)");
    // one moment where the canary is within 20 % of the stable of that moment keeps the trigger quiet
    canary.set(30, at(30, 80 * 1.1));
    Check dipped = p95.over(canary, stable, T0, Duration.ofSeconds(2), Duration.ofSeconds(2));
    assertThat(dipped.outcome()).isEqualTo(Outcome.DOES_NOT_HOLD);
    assertThat(dipped.detail()).contains("at 60 of 61 samples over 1m");
  }

  @Test
  void sustainedAgainstTheStableNeedsMomentsBothTracksCover() {
    GateCondition p95 = new GateCondition(againstStable(">", "20%", Duration.ofMinutes(1)), Unit.MILLISECONDS, null);
    List<Sample> canary = everySecond(0, 60, 100);
    // the stable has samples only for the last 20 s: the comparison covers 20 s of the minute
    Check young = p95.over(canary, everySecond(40, 60, 50), T0, Duration.ofSeconds(2), Duration.ofSeconds(2));
    assertThat(young.outcome()).isEqualTo(Outcome.DOES_NOT_HOLD);
    assertThat(young.detail()).contains("for only 20s of 1m");
    Check none = p95.over(canary, List.of(), T0, Duration.ofSeconds(2), Duration.ofSeconds(2));
    assertThat(none.outcome()).isEqualTo(Outcome.NO_DATA);
    assertThat(none.detail()).isEqualTo("the stable's query returned no data over 1m");
  }

  private static List<Sample> everySecond(int from, int to, double value) {
    List<Sample> samples = new ArrayList<>();
    for (int s = from; s <= to; s++) samples.add(at(s, value));
    return samples;
  }
}
