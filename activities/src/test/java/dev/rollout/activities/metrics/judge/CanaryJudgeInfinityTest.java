package dev.rollout.activities.metrics.judge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.CanaryAnalysis.JudgeMetric;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * +Inf samples (x/0, a quantile in the +Inf bucket) on both sides: the Hodges-Lehmann shift, the
 * median of pairwise differences, was ∞ − ∞ = NaN, which is neither above nor below 0, and the
 * classification fell through to PASS for a canary clearly worse than its baseline.
 */
class CanaryJudgeInfinityTest {
  static final double INF = Double.POSITIVE_INFINITY;

  static JudgeMetric metric(String direction) {
    return new JudgeMetric("latency", "latency_canary", "latency_baseline", direction, 0.05, false);
  }

  static String classify(String direction, double[] canary, double[] baseline) {
    return CanaryJudge.classify(new CanaryJudge.Samples(metric(direction), canary, baseline), 0.98).classification();
  }

  static double[] times(int n, double value) {
    double[] values = new double[n];
    Arrays.fill(values, value);
    return values;
  }

  static double[] concat(double[] a, double[] b) {
    double[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void aCanaryAlwaysAtInfinityAgainstABaselineHalfAtInfinityIsHigh() {
    double[] canary = times(20, INF);
    double[] baseline = concat(times(10, INF), times(10, 0.2));
    assertThat(MannWhitney.test(canary, baseline).shift()).as("∞ − ∞ in the middle of the differences").isNaN();

    assertThat(classify("increase", canary, baseline)).isEqualTo("High");
    assertThat(classify("either", canary, baseline)).isEqualTo("High");
    assertThat(classify("decrease", canary, baseline)).as("higher is not bad for this metric").isEqualTo("Pass");
  }

  @Test
  void aFiniteCanaryAgainstABaselineMostlyAtInfinityIsLowNotWithinTolerance() {
    double[] canary = times(20, 0.2);
    double[] baseline = concat(times(15, INF), times(5, 0.2));
    assertThat(classify("decrease", canary, baseline)).isEqualTo("Low");
    assertThat(classify("increase", canary, baseline)).isEqualTo("Pass");
  }
}
