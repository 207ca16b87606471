package dev.rollout.plan;

import java.util.Set;

/** A canary judge: declared metrics on both sides, sane scores and a confidence below 1. */
final class AnalysisChecks {
  private static final Set<String> DIRECTIONS = Set.of("increase", "decrease", "either");

  private AnalysisChecks() {}

  static void check(CheckContext c, CanaryAnalysis a, String p) {
    if (c.required(a.metrics(), p + ".metrics")) {
      for (int i = 0; i < a.metrics().size(); i++) {
        CanaryAnalysis.JudgeMetric m = a.metrics().get(i);
        String mp = p + ".metrics[" + i + "]";
        if (m == null) continue;
        c.required(m.name(), mp + ".name");
        if (c.required(m.canary(), mp + ".canary")) c.declared(m.canary(), c.plan.metrics(), "metric", mp + ".canary");
        if (c.required(m.baseline(), mp + ".baseline")) {
          c.declared(m.baseline(), c.plan.metrics(), "metric", mp + ".baseline");
        }
        if (m.direction() != null && !DIRECTIONS.contains(m.direction())) {
          c.problem(mp + ".direction", "'" + m.direction() + "' is not one of increase, decrease, either");
        }
        if (m.tolerance() != null && m.tolerance() < 0) {
          c.problem(mp + ".tolerance", CheckContext.number(m.tolerance()) + " must not be negative");
        }
      }
    }
    c.positive(a.interval(), p + ".interval");
    c.positive(a.lookback(), p + ".lookback");
    score(c, a.passScore(), p + ".passScore");
    score(c, a.marginalScore(), p + ".marginalScore");
    if (a.marginalScore() > a.passScore()) {
      c.problem(p + ".marginalScore", "marginalScore " + a.marginalScore() + " is above passScore " + a.passScore());
    }
    if (a.confidence() <= 0 || a.confidence() >= 1) {
      c.problem(p + ".confidence", CheckContext.number(a.confidence()) + " is not a confidence (between 0 and 1)");
    }
  }

  private static void score(CheckContext c, int score, String path) {
    if (score < 0 || score > 100) c.problem(path, score + " is not a score (0-100)");
  }
}
