package dev.rollout.activities.metrics.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.activities.MetricActivities.JudgeResult;
import dev.rollout.activities.MetricActivities.JudgeResult.MetricScore;
import dev.rollout.activities.MetricActivities.Verdict;
import dev.rollout.plan.CanaryAnalysis;
import dev.rollout.plan.CanaryAnalysis.JudgeMetric;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanaryJudgeTest {
  // p = 9.6e-05 by SciPy (see MannWhitneyTest); HL shift 16 ms on a baseline median of 203.5 ms (7.9 %)
  static final double[] SLOWER = {212, 215, 220, 209, 230, 218, 225, 219, 221, 240, 215, 226};
  static final double[] NORMAL = {200, 205, 198, 210, 202, 207, 199, 215, 204, 201, 206, 203};
  static final double[] NORMAL_TOO = {201, 204, 199, 209, 203, 206, 200, 214, 205, 202, 207, 204};

  static CanaryAnalysis analysis(JudgeMetric... metrics) {
    return new CanaryAnalysis(List.of(metrics), null, null, null, null, null);
  }

  static JudgeMetric metric(String name, String direction, Double tolerance, boolean critical) {
    return new JudgeMetric(name, name + "_canary", name + "_baseline", direction, tolerance, critical);
  }

  static String classify(JudgeMetric m, double[] canary, double[] baseline) {
    return CanaryJudge.classify(new CanaryJudge.Samples(m, canary, baseline), 0.98).classification();
  }

  @Test
  void aSignificantRiseBeyondTheToleranceIsHigh() {
    assertThat(classify(metric("latency", "increase", 0.05, false), SLOWER, NORMAL)).isEqualTo("High");
  }

  @Test
  void aRiseWithinTheToleranceStillPasses() {
    // 7.9 % is significant but under a 10 % tolerance
    assertThat(classify(metric("latency", "increase", 0.10, false), SLOWER, NORMAL)).isEqualTo("Pass");
  }

  @Test
  void directionSaysWhichWayIsBad() {
    assertThat(classify(metric("latency", "decrease", 0.05, false), SLOWER, NORMAL)).isEqualTo("Pass");
    assertThat(classify(metric("throughput", "decrease", 0.05, false), NORMAL, SLOWER)).isEqualTo("Low");
    assertThat(classify(metric("latency", "either", 0.05, false), NORMAL, SLOWER)).isEqualTo("Low");
    assertThat(classify(metric("latency", null, 0.05, false), SLOWER, NORMAL)).isEqualTo("High");
  }

  @Test
  void noSignificantDifferencePasses() {
    assertThat(classify(metric("latency", "increase", 0.0, false), NORMAL_TOO, NORMAL)).isEqualTo("Pass");
  }

  @Test
  void missingSamplesAreNoData() {
    assertThat(classify(metric("latency", "increase", 0.05, false), new double[0], NORMAL)).isEqualTo("NoData");
  }

  @Test
  void scoreIsTheShareOfPassingMetricsWithPassAndMarginalThresholds() {
    JudgeMetric a = metric("a", "increase", 0.05, false);
    JudgeMetric b = metric("b", "increase", 0.05, false);
    JudgeMetric c = metric("c", "increase", 0.05, false);
    JudgeMetric d = metric("d", "increase", 0.05, false);
    JudgeResult threeOfFour = judge(analysis(a, b, c, d), SLOWER, NORMAL_TOO, NORMAL_TOO, NORMAL_TOO);
    assertThat(threeOfFour.score()).isEqualTo(75.0);
    assertThat(threeOfFour.verdict()).isEqualTo(Verdict.PASS);
    JudgeResult half = judge(analysis(a, b, c, d), SLOWER, SLOWER, NORMAL_TOO, NORMAL_TOO);
    assertThat(half.score()).isEqualTo(50.0);
    assertThat(half.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    JudgeResult quarter = judge(analysis(a, b, c, d), SLOWER, SLOWER, SLOWER, NORMAL_TOO);
    assertThat(quarter.score()).isEqualTo(25.0);
    assertThat(quarter.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(quarter.metrics()).extracting(MetricScore::classification).containsExactly("High", "High", "High", "Pass");
  }

  @Test
  void aFailingCriticalMetricFailsTheWholeJudgement() {
    JudgeMetric critical = metric("errors", "increase", 0.05, true);
    JudgeMetric others = metric("latency", "increase", 0.05, false);
    JudgeResult r = judge(analysis(critical, others, others, others, others), SLOWER, NORMAL_TOO, NORMAL_TOO,
        NORMAL_TOO, NORMAL_TOO);
    assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(r.score()).isEqualTo(0.0);
    assertThat(r.metrics().get(0).critical()).isTrue();
  }

  @Test
  void noDataAnywhereIsNoDataNotAPass() {
    JudgeResult r = CanaryJudge.judge(analysis(metric("a", "increase", 0.05, false)),
        List.of(new CanaryJudge.Samples(metric("a", "increase", 0.05, false), new double[0], new double[0])));
    assertThat(r.verdict()).isEqualTo(Verdict.NO_DATA);
  }

  @Test
  void anUnknownDirectionIsNamed() {
    assertThatThrownBy(() -> classify(metric("latency", "up", 0.05, false), SLOWER, NORMAL))
        .hasMessageContaining("direction 'up'").hasMessageContaining("latency");
  }

  /** Each metric's canary is the given array; every baseline is NORMAL. */
  private static JudgeResult judge(CanaryAnalysis analysis, double[]... canaries) {
    List<CanaryJudge.Samples> samples = new java.util.ArrayList<>();
    for (int i = 0; i < canaries.length; i++) {
      samples.add(new CanaryJudge.Samples(analysis.metrics().get(i), canaries[i], NORMAL));
    }
    return CanaryJudge.judge(analysis, samples);
  }
}
