package dev.rollout.plan;

import java.time.Duration;
import java.util.List;

/**
 * A statistical canary judge (after Kayenta's NetflixACAJudge): each metric's canary samples are
 * compared with the baseline's by a Mann-Whitney U test; metrics are scored into 0-100.
 *
 * @param lookback how far back samples are taken at each judgement
 * @param passScore a score at or above this passes (default 75)
 * @param marginalScore below this fails; between marginal and pass holds (default 50)
 */
public record CanaryAnalysis(
    List<JudgeMetric> metrics,
    Duration interval,
    Duration lookback,
    Integer passScore,
    Integer marginalScore,
    Double confidence) {

  public CanaryAnalysis {
    metrics = Lists.copy(metrics);
    passScore = passScore == null ? 75 : passScore;
    marginalScore = marginalScore == null ? 50 : marginalScore;
    confidence = confidence == null ? 0.98 : confidence;
  }

  /**
   * @param canary query (name of a declared metric) for the canary's samples
   * @param baseline query (name of a declared metric) for the baseline's samples
   * @param direction which way is bad: {@code increase}, {@code decrease} or {@code either}
   * @param tolerance relative change allowed before a difference counts (0.05 = 5 %)
   * @param critical a failing critical metric fails the whole judgement
   */
  public record JudgeMetric(
      String name,
      String canary,
      String baseline,
      String direction,
      Double tolerance,
      boolean critical) {}
}
