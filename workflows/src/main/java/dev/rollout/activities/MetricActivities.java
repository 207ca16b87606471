package dev.rollout.activities;

import dev.rollout.plan.CanaryAnalysis;
import dev.rollout.plan.Gate;
import dev.rollout.plan.MetricQuery;
import dev.rollout.plan.MetricSource;
import dev.rollout.plan.Target;
import io.temporal.activity.ActivityInterface;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

@ActivityInterface
public interface MetricActivities {

  /** Reads the current value of each metric, in its own unit: the baseline for relative gates. */
  Map<String, Double> baseline(String rolloutId, Target target, List<BoundMetric> metrics);

  /** Evaluates acceptance gates once (sustained gates look back over their "for" window). */
  List<GateResult> evaluate(String rolloutId, Target target, List<BoundGate> gates);

  /**
   * Watches rollback triggers, each at its own interval, heartbeating, for at most {@code watchFor}.
   * Returns as soon as one fires (with it in {@link WatchResult#fired()}), or when {@code watchFor}
   * has passed with none firing. Keeps history small: one activity, however many checks.
   */
  WatchResult watch(String rolloutId, Target target, List<BoundGate> triggers, Duration watchFor);

  /** Judges canary against baseline statistically over the analysis' lookback. */
  JudgeResult judge(String rolloutId, Target target, CanaryAnalysis analysis, Map<String, BoundMetric> metrics);

  /** A metric query with its source resolved from the plan. */
  record BoundMetric(String name, MetricQuery query, MetricSource source) {}

  /** A gate with its metric resolved, and the baseline value when the gate is relative. */
  record BoundGate(Gate gate, BoundMetric metric, Double baselineValue) {}

  enum Verdict {
    PASS,
    FAIL,
    NO_DATA,
    /** Not enough evidence either way: hold for a decision. */
    INCONCLUSIVE
  }

  /** One evaluation: the value seen, the threshold, the verdict, when. */
  record GateResult(
      String gate, String metric, Double value, String threshold, Verdict verdict, Instant at, String detail) {}

  /** @param fired the trigger that fired, or null when none did */
  record WatchResult(GateResult fired, List<GateResult> last, int checks) {}

  record JudgeResult(double score, Verdict verdict, List<MetricScore> metrics) {
    public record MetricScore(String name, String classification, double pValue, boolean critical) {}
  }
}
