package dev.rollout.workflow;

import dev.rollout.activities.MetricActivities;
import dev.rollout.plan.CanaryAnalysis;
import dev.rollout.plan.Target;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A metric source that sees nothing: every watch returns at once with no trigger fired (as the
 * rehearsal's does), baselines are empty, no gate is evaluated to anything. Tests that script
 * what a watch sees extend it and override {@link #watch} (or {@link #evaluate}).
 */
public class QuietMetrics implements MetricActivities {
  @Override
  public WatchResult watch(String rolloutId, Target target, List<BoundGate> triggers, Duration watchFor) {
    return new WatchResult(null, List.of(), 1);
  }

  @Override
  public Map<String, Double> baseline(String rolloutId, Target target, List<BoundMetric> metrics) {
    return Map.of();
  }

  @Override
  public List<GateResult> evaluate(String rolloutId, Target target, List<BoundGate> gates) {
    return List.of();
  }

  @Override
  public JudgeResult judge(String rolloutId, Target target, CanaryAnalysis analysis, Map<String, BoundMetric> metrics) {
    throw new UnsupportedOperationException("no canary analysis in this test's plan");
  }
}
