package dev.rollout.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Baseline;
import dev.rollout.plan.Gate;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import org.junit.jupiter.api.Test;

/** Readings read as people need them: in the CLI, and in the reasons the workflow writes. */
class ReadingsTest {

  @Test
  void aNumberKeepsFourSignificantDigitsAndNoTrailingZeros() {
    assertThat(Readings.number(26.08527210814999)).isEqualTo("26.09");
    assertThat(Readings.number(0.2608527210814999)).isEqualTo("0.2609");
    assertThat(Readings.number(1500.0)).isEqualTo("1500");
    assertThat(Readings.number(0.25)).isEqualTo("0.25");
  }

  @Test
  void aFiredTriggersReasonShowsTheReadingRounded() {
    Gate fivePoints = RelativeThresholdRehearsalTest.trigger("5pp", Baseline.BASELINE);
    RehearsalResult r = Rehearsal.run(RelativeThresholdRehearsalTest.plan(fivePoints),
        RelativeThresholdRehearsalTest.errors("26.08527210814999%"));

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.result().reason()).contains("errors up 5pp = 26.09 (error_rate = 26.1% > 6%").doesNotContain("26.08527");
  }
}
