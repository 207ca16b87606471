package dev.rollout.activities.metrics.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Expected values are SciPy's, not ours: {@code scipy.stats.mannwhitneyu(x, y)} (SciPy 1.17.1,
 * defaults: two-sided, method='auto', use_continuity=True) and {@code numpy.median(numpy.subtract.outer(x, y))}
 * for the Hodges-Lehmann shift, run on this machine; the first case is also the example in SciPy's
 * documentation of mannwhitneyu (ages of males and females, after Shier 2004).
 */
class MannWhitneyTest {

  @Test
  void exactTestMatchesScipysDocumentedExample() {
    // mannwhitneyu(males, females, method="exact") -> statistic 17.0, pvalue 0.1111111111111111
    MannWhitney.Result r = MannWhitney.test(new double[] {19, 22, 16, 29, 24}, new double[] {20, 11, 17, 12});
    assertThat(r.exact()).isTrue();
    assertThat(r.u()).isEqualTo(17.0);
    assertThat(r.pValue()).isCloseTo(0.1111111111111111, within(1e-12));
  }

  @Test
  void normalApproximationMatchesScipysDocumentedExample() {
    // mannwhitneyu(males, females, method="asymptotic") -> pvalue 0.11134688653314041
    assertThat(MannWhitney.asymptoticP(17, 5, 4, 0)).isCloseTo(0.11134688653314041, within(1e-9));
  }

  @Test
  void exactTestWithUnequalSizes() {
    // mannwhitneyu([1.1,2.2,3.3,4.4], [0.5,0.6,0.7,0.8,0.9,1.0,5.5]) -> 24.0, 0.07272727272727272
    MannWhitney.Result r =
        MannWhitney.test(new double[] {1.1, 2.2, 3.3, 4.4}, new double[] {0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 5.5});
    assertThat(r.u()).isEqualTo(24.0);
    assertThat(r.pValue()).isCloseTo(0.07272727272727272, within(1e-12));
  }

  @Test
  void slowerCanaryLatenciesWithTiesAreSignificant() {
    // canary vs baseline latencies in ms, with ties -> 140.0, 9.599123681789865e-05; HL shift 16.0
    double[] canary = {212, 215, 220, 209, 230, 218, 225, 219, 221, 240, 215, 226};
    double[] baseline = {200, 205, 198, 210, 202, 207, 199, 215, 204, 201, 206, 203};
    MannWhitney.Result r = MannWhitney.test(canary, baseline);
    assertThat(r.exact()).isFalse();
    assertThat(r.u()).isEqualTo(140.0);
    assertThat(r.pValue()).isCloseTo(9.599123681789865e-05, within(1e-12));
    assertThat(r.shift()).isEqualTo(16.0);
  }

  @Test
  void similarErrorRatesWithManyTiesAreNotSignificant() {
    // -> 53.5, 0.8118396656796916; HL shift 0.0
    double[] a = {0.010, 0.012, 0.011, 0.013, 0.012, 0.011, 0.010, 0.012, 0.011, 0.012};
    double[] b = {0.011, 0.012, 0.010, 0.012, 0.011, 0.013, 0.011, 0.012, 0.010, 0.011};
    MannWhitney.Result r = MannWhitney.test(a, b);
    assertThat(r.u()).isEqualTo(53.5);
    assertThat(r.pValue()).isCloseTo(0.8118396656796916, within(1e-12));
    assertThat(r.shift()).isEqualTo(0.0);
  }

  @Test
  void twoConstantSamplesThatDifferAreSignificant() {
    // ten 3s against ten 0s -> 100.0, 1.5937911688066244e-05
    double[] threes = {3, 3, 3, 3, 3, 3, 3, 3, 3, 3};
    double[] zeros = new double[10];
    assertThat(MannWhitney.test(threes, zeros).pValue()).isCloseTo(1.5937911688066244e-05, within(1e-12));
  }

  @Test
  void everyValueTheSameIsNoEvidence() {
    assertThat(MannWhitney.test(new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1}).pValue())
        .isEqualTo(1.0);
  }

  @Test
  void exactDistributionCountsEveryOrdering() {
    // U for samples of 2 and 3: orderings with U = 0..6 are 1,1,2,2,2,1,1 (C(5,2) = 10 in all)
    assertThat(MannWhitney.countsOfU(2, 3)).containsExactly(1, 1, 2, 2, 2, 1, 1);
  }
}
