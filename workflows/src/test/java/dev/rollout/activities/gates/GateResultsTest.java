package dev.rollout.activities.gates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.activities.MetricActivities.GateResult;
import dev.rollout.activities.MetricActivities.Verdict;
import dev.rollout.activities.gates.GateCondition.Check;
import dev.rollout.activities.gates.GateCondition.Outcome;
import dev.rollout.plan.Comparison;
import dev.rollout.plan.Gate;
import dev.rollout.plan.NoDataAction;
import dev.rollout.plan.Quantity;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The same condition read by an acceptance gate and by a rollback trigger. */
class GateResultsTest {
  static final Instant AT = Instant.parse("2026-01-05T02:00:00Z");
  static final Check HOLDS = new Check(Outcome.HOLDS, 0.05, "> 1%", "error_rate = 5% > 1%");
  static final Check DOES_NOT = new Check(Outcome.DOES_NOT_HOLD, 0.001, "> 1%", "error_rate = 0.1% not > 1%");
  static final Check NO_DATA = new Check(Outcome.NO_DATA, null, "> 1%", "the query returned no data");

  static Gate gate(String name, NoDataAction onNoData) {
    return new Gate(name, "error_rate", Comparison.GT, Quantity.parse("1%"), Duration.ofMinutes(3), null, null, onNoData);
  }

  @Test
  void anAcceptanceGatePassesWhenItsConditionHolds() {
    assertThat(GateResults.acceptance(gate("g", null), HOLDS, AT).verdict()).isEqualTo(Verdict.PASS);
    assertThat(GateResults.acceptance(gate("g", null), DOES_NOT, AT).verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void aTriggerFiresWhenItsConditionHolds() {
    assertThat(GateResults.trigger(gate("t", null), HOLDS, AT).verdict()).isEqualTo(Verdict.FAIL);
    assertThat(GateResults.trigger(gate("t", null), DOES_NOT, AT).verdict()).isEqualTo(Verdict.PASS);
  }

  @Test
  void noDataMeansWhatTheGateSays() {
    assertThat(GateResults.acceptance(gate("g", NoDataAction.FAIL), NO_DATA, AT).verdict()).isEqualTo(Verdict.FAIL);
    assertThat(GateResults.acceptance(gate("g", NoDataAction.PASS), NO_DATA, AT).verdict()).isEqualTo(Verdict.PASS);
    assertThat(GateResults.acceptance(gate("g", NoDataAction.HOLD), NO_DATA, AT).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(GateResults.trigger(gate("t", NoDataAction.FAIL), NO_DATA, AT).verdict()).isEqualTo(Verdict.FAIL);
    assertThat(GateResults.trigger(gate("t", NoDataAction.PASS), NO_DATA, AT).verdict()).isEqualTo(Verdict.PASS);
    assertThat(GateResults.trigger(gate("t", NoDataAction.HOLD), NO_DATA, AT).detail())
        .isEqualTo("the query returned no data (onNoData: hold)");
  }

  @Test
  void theResultCarriesValueThresholdTimeAndAReadableName() {
    GateResult named = GateResults.trigger(gate("errors-up", null), HOLDS, AT);
    assertThat(named).isEqualTo(new GateResult("errors-up", "error_rate", 0.05, "> 1%", Verdict.FAIL, AT, "error_rate = 5% > 1%"));
    assertThat(GateResults.trigger(gate(null, null), HOLDS, AT).gate()).isEqualTo("error_rate > 1% for 3m");
  }
}
