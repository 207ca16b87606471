package dev.rollout.activities.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WeightsTest {

  @ParameterizedTest
  @CsvSource({"0,1,0", "10,9,1", "12.5,7,1", "50,1,1", "33.3,667,333", "100,0,1"})
  void percentagesBecomeTheSmallestIntegerWeights(double percent, int stable, int canary) {
    Weights w = Weights.of(percent);

    assertThat(w).isEqualTo(new Weights(stable, canary));
    assertThat(w.percent()).isCloseTo(percent, org.assertj.core.data.Offset.offset(0.05));
  }

  @Test
  void outOfRangeIsBadInput() {
    assertThatThrownBy(() -> Weights.of(101)).hasMessageContaining("between 0 and 100");
    assertThatThrownBy(() -> Weights.of(Double.NaN)).hasMessageContaining("between 0 and 100");
  }
}
