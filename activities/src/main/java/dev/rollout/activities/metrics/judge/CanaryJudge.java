package dev.rollout.activities.metrics.judge;

import dev.rollout.activities.MetricActivities.JudgeResult;
import dev.rollout.activities.MetricActivities.JudgeResult.MetricScore;
import dev.rollout.activities.MetricActivities.Verdict;
import dev.rollout.plan.CanaryAnalysis;
import dev.rollout.plan.CanaryAnalysis.JudgeMetric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Judges a canary against its baseline after Kayenta's NetflixACAJudge. Each metric: a two-sided
 * Mann-Whitney U test of the canary's samples against the baseline's; a difference counts when it
 * is significant at the analysis' confidence, goes the bad way ({@code direction}), and the
 * Hodges-Lehmann shift is more than {@code tolerance} of the baseline's median. The score is the
 * share of metrics that pass, 0-100 (no data counts as not passing); a critical metric that does
 * not pass fails the whole judgement with score 0.
 */
public final class CanaryJudge {
  /** When a metric names no tolerance, a shift under 10 % of the baseline never counts. */
  public static final double DEFAULT_TOLERANCE = 0.10;

  private CanaryJudge() {}

  /** One metric's samples: canary and baseline, in the same unit. */
  public record Samples(JudgeMetric metric, double[] canary, double[] baseline) {}

  public static JudgeResult judge(CanaryAnalysis analysis, List<Samples> samples) {
    List<MetricScore> scores = new ArrayList<>();
    for (Samples s : samples) scores.add(classify(s, analysis.confidence()));
    long passing = scores.stream().filter(s -> s.classification().equals(Classification.PASS.label())).count();
    long noData = scores.stream().filter(s -> s.classification().equals(Classification.NO_DATA.label())).count();
    boolean criticalFailed = scores.stream()
        .anyMatch(s -> s.critical() && !s.classification().equals(Classification.PASS.label()));
    if (scores.isEmpty() || noData == scores.size()) return new JudgeResult(0, Verdict.NO_DATA, scores);
    if (criticalFailed) return new JudgeResult(0, Verdict.FAIL, scores);
    double score = Math.round(10_000.0 * passing / scores.size()) / 100.0;
    Verdict verdict = score >= analysis.passScore() ? Verdict.PASS
        : score >= analysis.marginalScore() ? Verdict.INCONCLUSIVE : Verdict.FAIL;
    return new JudgeResult(score, verdict, scores);
  }

  static MetricScore classify(Samples s, double confidence) {
    JudgeMetric m = s.metric();
    Classification c = classification(s, confidence);
    boolean empty = s.canary().length == 0 || s.baseline().length == 0;
    double p = empty ? 1 : MannWhitney.test(s.canary(), s.baseline()).pValue();
    return new MetricScore(m.name(), c.label(), p, m.critical());
  }

  static Classification classification(Samples s, double confidence) {
    String direction = direction(s.metric());
    double[] canary = s.canary();
    double[] baseline = s.baseline();
    if (canary.length == 0 || baseline.length == 0) return Classification.NO_DATA;
    if (sameValues(canary, baseline)) return Classification.PASS;
    MannWhitney.Result test = MannWhitney.test(canary, baseline);
    double shift = test.shift();
    // Infinite samples (x/0, a quantile in the +Inf bucket) on both sides make the shift ∞ − ∞ =
    // NaN, neither up nor down: the ranks still say which way, and no tolerance measures its size.
    boolean measurable = !Double.isNaN(shift);
    if (!measurable) shift = Math.signum(test.u() - canary.length * (double) baseline.length / 2);
    if (test.pValue() >= 1 - confidence || shift == 0) return Classification.PASS;
    double median = Math.abs(MannWhitney.median(baseline));
    double relative = !measurable || median == 0 || !Double.isFinite(median)
        ? Double.POSITIVE_INFINITY : Math.abs(shift) / median;
    double tolerance = s.metric().tolerance() == null ? DEFAULT_TOLERANCE : s.metric().tolerance();
    if (relative <= tolerance) return Classification.PASS;
    if (shift > 0 && !direction.equals("decrease")) return Classification.HIGH;
    if (shift < 0 && !direction.equals("increase")) return Classification.LOW;
    return Classification.PASS;
  }

  private static String direction(JudgeMetric m) {
    String d = m.direction() == null ? "either" : m.direction().toLowerCase(Locale.ROOT);
    if (!List.of("increase", "decrease", "either").contains(d)) {
      throw new IllegalArgumentException("canary metric '" + m.name() + "': direction '" + m.direction()
          + "' is not one of increase, decrease, either");
    }
    return d;
  }

  private static boolean sameValues(double[] a, double[] b) {
    double[] x = a.clone();
    double[] y = b.clone();
    Arrays.sort(x);
    Arrays.sort(y);
    boolean bothOneValue = Arrays.stream(x).distinct().count() == 1 && Arrays.stream(y).distinct().count() == 1;
    return Arrays.equals(x, y) || bothOneValue && x[0] == y[0];
  }
}
