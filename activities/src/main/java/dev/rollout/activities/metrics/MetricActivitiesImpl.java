package dev.rollout.activities.metrics;

import dev.rollout.activities.MetricActivities;
import dev.rollout.activities.metrics.TriggerWatcher.WatchProgress;
import dev.rollout.activities.metrics.judge.CanaryJudge;
import dev.rollout.plan.CanaryAnalysis;
import dev.rollout.plan.CanaryAnalysis.JudgeMetric;
import dev.rollout.plan.Target;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Metric gates, rollback triggers and the canary judge, against the plan's metric sources. A read
 * that fails inside a gate becomes an INCONCLUSIVE result (a person decides); a read that fails
 * for a baseline or a judgement fails the activity: retryably when the source did not answer,
 * for good when the query itself is wrong.
 */
public class MetricActivitiesImpl implements MetricActivities {
  /** When an analysis names no lookback: long enough for a test, short enough to be current. */
  static final Duration DEFAULT_LOOKBACK = Duration.ofMinutes(5);

  private final MetricProviders providers;
  private final Clock clock;
  private final GateChecker checker;
  private final TriggerWatcher watcher;

  public MetricActivitiesImpl() {
    this(MetricProviders.defaults(), Clock.systemUTC());
  }

  public MetricActivitiesImpl(MetricProviders providers, Clock clock) {
    this.providers = providers;
    this.clock = clock;
    this.checker = new GateChecker(providers, clock);
    this.watcher = new TriggerWatcher(checker, clock, d -> Thread.sleep(d.toMillis()));
  }

  @Override
  public Map<String, Double> baseline(String rolloutId, Target target, List<BoundMetric> metrics) {
    // A metric with no data gets no entry: its relative gates then read as no data.
    Map<String, Double> values = new LinkedHashMap<>();
    for (BoundMetric metric : metrics) {
      read(metric.name(), () -> providers.forSource(metric.source()).instant(QueryTemplate.bind(metric, target)))
          .ifPresent(sample -> values.put(metric.name(), sample.value()));
    }
    return values;
  }

  @Override
  public List<GateResult> evaluate(String rolloutId, Target target, List<BoundGate> gates) {
    List<GateResult> results = new ArrayList<>();
    for (BoundGate gate : gates) {
      Instant at = clock.instant();
      try {
        results.add(GateResults.acceptance(gate.gate(), checker.check(gate, target), at));
      } catch (MetricQueryException e) {
        results.add(GateResults.error(gate.gate(), e.getMessage(), at));
      }
    }
    return results;
  }

  @Override
  public WatchResult watch(String rolloutId, Target target, List<BoundGate> triggers, Duration watchFor) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    // A retried watch carries on from its last heartbeat: the same window, the same count.
    Optional<WatchProgress> before = context.getHeartbeatDetails(WatchProgress.class);
    Instant startedAt = before.map(WatchProgress::startedAt).orElseGet(clock::instant);
    int checks = before.map(WatchProgress::checks).orElse(0);
    try {
      return watcher.watch(target, triggers, startedAt, watchFor, checks, context::heartbeat);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Activity.wrap(e);
    }
  }

  @Override
  public JudgeResult judge(String rolloutId, Target target, CanaryAnalysis analysis, Map<String, BoundMetric> metrics) {
    Duration lookback = analysis.lookback() == null ? DEFAULT_LOOKBACK : analysis.lookback();
    List<CanaryJudge.Samples> samples = new ArrayList<>();
    for (JudgeMetric m : analysis.metrics()) {
      samples.add(new CanaryJudge.Samples(m, values(m, m.canary(), "canary", metrics, target, lookback),
          values(m, m.baseline(), "baseline", metrics, target, lookback)));
    }
    try {
      return CanaryJudge.judge(analysis, samples);
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "InvalidAnalysis");
    }
  }

  private double[] values(JudgeMetric m, String name, String field, Map<String, BoundMetric> metrics, Target target,
      Duration lookback) {
    BoundMetric metric = metrics.get(name);
    if (metric == null) {
      throw ApplicationFailure.newNonRetryableFailure("canary metric '" + m.name() + "': " + field + " names metric '"
          + name + "', which the plan does not declare", "InvalidAnalysis");
    }
    return read(name, () -> providers.forSource(metric.source())
            .range(QueryTemplate.bind(metric, target), lookback, GateChecker.step(lookback)))
        .stream().mapToDouble(Sample::value).filter(v -> !Double.isNaN(v)).toArray();
  }

  private static <T> T read(String metric, java.util.function.Supplier<T> query) {
    try {
      return query.get();
    } catch (MetricQueryException e) {
      String message = "metric '" + metric + "': " + e.getMessage();
      throw e.badQuery()
          ? ApplicationFailure.newNonRetryableFailure(message, "BadMetricQuery")
          : ApplicationFailure.newFailure(message, "MetricSourceUnavailable");
    }
  }
}
