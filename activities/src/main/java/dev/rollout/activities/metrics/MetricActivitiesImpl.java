package dev.rollout.activities.metrics;

import dev.rollout.activities.MetricActivities;
import dev.rollout.activities.gates.GateResults;
import dev.rollout.activities.gates.Sample;
import dev.rollout.activities.metrics.TriggerWatcher.WatchProgress;
import dev.rollout.activities.metrics.judge.CanaryJudge;
import dev.rollout.plan.CanaryAnalysis.JudgeMetric;
import dev.rollout.plan.CanaryAnalysis;
import dev.rollout.plan.Target;
import dev.rollout.plan.Tracks.Track;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.client.ActivityCompletionClient;
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
public class MetricActivitiesImpl implements MetricActivities, AutoCloseable {
  /** When an analysis names no lookback: long enough for a test, short enough to be current. */
  static final Duration DEFAULT_LOOKBACK = Duration.ofMinutes(5);
  public static final int DEFAULT_READ_THREADS = 4;
  public static final int DEFAULT_REPLY_THREADS = 4;

  private final MetricProviders providers;
  private final Clock clock;
  private final GateChecker checker;
  private final WatchScheduler scheduler;
  private volatile ActivityCompletionClient completions;

  public MetricActivitiesImpl() {
    this(MetricProviders.defaults(), Clock.systemUTC());
  }

  public MetricActivitiesImpl(MetricProviders providers, Clock clock) {
    this(providers, clock, DEFAULT_READ_THREADS, DEFAULT_REPLY_THREADS);
  }

  /**
   * @param readThreads metric reads at once for trigger watches (a read waits on its source)
   * @param replyThreads heartbeats and completions sent at once for trigger watches
   */
  public MetricActivitiesImpl(MetricProviders providers, Clock clock, int readThreads, int replyThreads) {
    this.providers = providers;
    this.clock = clock;
    this.checker = new GateChecker(providers, clock);
    this.scheduler = new WatchScheduler(checker, clock, readThreads, replyThreads);
  }

  /** The watches running now, their shared reads and what they sent. */
  public WatchScheduler.Stats watchStats() {
    return scheduler.stats();
  }

  /** Stops every watch of this worker (their activities are retried on their heartbeat timeout). */
  @Override
  public void close() {
    scheduler.close();
  }

  /**
   * A metric with tracks is read on the stable track: before the first change the stable is what
   * runs (the canary may have no traffic, or no series, yet).
   */
  @Override
  public Map<String, Double> baseline(String rolloutId, Target target, List<BoundMetric> metrics) {
    // A metric with no data gets no entry: its relative gates then read as no data.
    Map<String, Double> values = new LinkedHashMap<>();
    Instant at = clock.instant();
    for (BoundMetric metric : metrics) {
      read(metric.name(), () -> providers.instant(metric.source(), QueryTemplate.bind(metric, target, Track.STABLE), at))
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

  /**
   * Registers the triggers with the worker's {@link WatchScheduler} and returns at once without
   * completing: the scheduler heartbeats, and completes the activity when a trigger fires or the
   * window ends, so a watch holds no activity slot and no thread however long it runs.
   */
  @Override
  public WatchResult watch(String rolloutId, Target target, List<BoundGate> triggers, Duration watchFor) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    // A retried watch carries on from its last heartbeat: the same window, the same count.
    Optional<WatchProgress> before = context.getHeartbeatDetails(WatchProgress.class);
    Instant startedAt = before.map(WatchProgress::startedAt).orElseGet(clock::instant);
    int checks = before.map(WatchProgress::checks).orElse(0);
    TriggerWatcher watcher = new TriggerWatcher(checker, target, triggers, startedAt, watchFor, checks);
    ActivityInfo info = context.getInfo();
    ActivityReply reply = new ActivityReply(completions(context), context.getTaskToken());
    context.doNotCompleteOnReturn();
    scheduler.register(info.getWorkflowId() + "/" + info.getActivityId(), watcher, reply, heartbeatEvery(info));
    return null;
  }

  /** Half the heartbeat timeout: one late heartbeat does not time the watch out. */
  static Duration heartbeatEvery(ActivityInfo info) {
    Duration timeout = info.getHeartbeatTimeout();
    return timeout == null || timeout.isZero() ? WatchScheduler.DEFAULT_HEARTBEAT : timeout.dividedBy(2);
  }

  private ActivityCompletionClient completions(ActivityExecutionContext context) {
    ActivityCompletionClient client = completions;
    if (client == null) {
      client = context.getWorkflowClient().newActivityCompletionClient();
      completions = client;
    }
    return client;
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
    return read(name, () -> providers.range(
            metric.source(), QueryTemplate.bind(metric, target), clock.instant(), lookback, GateChecker.step(lookback)))
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
