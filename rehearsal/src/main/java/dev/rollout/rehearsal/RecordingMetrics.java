package dev.rollout.rehearsal;

import dev.rollout.activities.MetricActivities;
import dev.rollout.activities.gates.GateResults;
import dev.rollout.activities.gates.Sample;
import dev.rollout.activities.gates.Units;
import dev.rollout.activities.metrics.GateChecker;
import dev.rollout.activities.metrics.MetricActivitiesImpl;
import dev.rollout.activities.metrics.MetricProvider;
import dev.rollout.activities.metrics.MetricProviders;
import dev.rollout.activities.metrics.MetricQueryException;
import dev.rollout.activities.metrics.MetricRequest;
import dev.rollout.plan.CanaryAnalysis;
import dev.rollout.plan.Durations;
import dev.rollout.plan.MetricSource;
import dev.rollout.plan.Quantity.Unit;
import dev.rollout.plan.Target;
import dev.rollout.plan.Tracks.Track;
import io.temporal.activity.Activity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The worker's own metric activities ({@link MetricActivitiesImpl}: baselines, gates, units,
 * relative thresholds, {@code for} windows, {@code onNoData}) reading every metric source of the
 * plan from the scenario instead: one {@link MetricProvider} per source type, picked through the
 * same registry as on a worker. This class only records the calls, says what a metric nobody
 * scripted does (it is healthy: passes every gate, fires no trigger) and answers a watch at once.
 *
 * <p>A watch answers with the first trigger that fires at its start, or with none (the workflow
 * then waits out its timer): a rehearsal has no real time to poll in. The canary judge's score is
 * scripted directly ({@code canary_score}), not computed from series.
 *
 * <p>A scripted value without a unit is a plain number or a ratio ({@code 0.2} is 20 %); one with
 * a unit is converted to the metric's. The stable track keeps the value of the rules that apply
 * from the start (else the unscripted baseline); later rules model the canary. Simulated time is
 * the running activity attempt's scheduled time.
 */
public final class RecordingMetrics implements MetricActivities {
  /** The value of a metric nobody scripted, in the metric's unit. */
  static final double UNSCRIPTED_BASELINE = 1.0;

  private final RehearsalWorld world;
  /** The unit each metric's query returns, as the calls bind them: scripted values are given in it. */
  private final Map<String, String> unitSymbols = new ConcurrentHashMap<>();
  private final MetricActivitiesImpl real;
  private final GateChecker checker;
  /** The rollout's phase as this activity call found it: asked of the workflow once per call, if at all. */
  private final ThreadLocal<Integer> phaseOfCall = new ThreadLocal<>();

  public RecordingMetrics(RehearsalWorld world) {
    this.world = world;
    MetricProviders scenario = new MetricProviders(Arrays.stream(MetricSource.class.getPermittedSubclasses())
        .map(type -> new ScenarioSource<>(type.asSubclass(MetricSource.class), this))
        .toList());
    Clock simulated = new ActivityClock();
    // Only baseline and evaluate are used: the watch scheduler's threads are never started.
    this.real = new MetricActivitiesImpl(scenario, simulated);
    this.checker = new GateChecker(scenario, simulated);
  }

  /** Which environment a query asked about, as the recorded call shows it. */
  private static String on(Target target) {
    return target == null ? "" : " on " + target.key();
  }

  @Override
  public Map<String, Double> baseline(String rolloutId, Target target, List<BoundMetric> metrics) {
    world.record("metrics", "baseline", metrics.stream().map(BoundMetric::name).toList() + on(target));
    metrics.forEach(this::learnUnit);
    return inCall(() -> real.baseline(rolloutId, target, metrics));
  }

  @Override
  public List<GateResult> evaluate(String rolloutId, Target target, List<BoundGate> gates) {
    world.record("metrics", "evaluate", gates.stream().map(g -> g.gate().describe()).toList() + on(target));
    return inCall(() -> {
      List<GateResult> out = new ArrayList<>();
      for (BoundGate g : gates) {
        learnUnit(g.metric());
        out.add(scripted(g) ? real.evaluate(rolloutId, target, List.of(g)).get(0) : healthy(g));
      }
      return out;
    });
  }

  @Override
  public WatchResult watch(String rolloutId, Target target, List<BoundGate> triggers, Duration watchFor) {
    world.record("metrics", "watch", triggers.size() + " trigger(s) for " + Durations.format(watchFor) + on(target));
    return inCall(() -> {
      List<GateResult> last = new ArrayList<>();
      GateResult fired = null;
      for (BoundGate t : triggers) {
        learnUnit(t.metric());
        GateResult r = scripted(t) ? checkOnce(t, target) : healthy(t);
        last.add(r);
        // FAIL fires; INCONCLUSIVE is onNoData: hold or a query that cannot work (a person decides)
        if (fired == null && (r.verdict() == Verdict.FAIL || r.verdict() == Verdict.INCONCLUSIVE)) fired = r;
      }
      return new WatchResult(fired, last, triggers.size());
    });
  }

  @Override
  public JudgeResult judge(String rolloutId, Target target, CanaryAnalysis analysis, Map<String, BoundMetric> metrics) {
    world.record("metrics", "judge", analysis.metrics().size() + " metric(s)" + on(target));
    Scenario.MetricRule rule = inCall(() -> rule("canary_score", now()));
    double score = rule == null ? 100 : rule.quantity().value();
    Verdict v = score >= analysis.passScore() ? Verdict.PASS
        : score < analysis.marginalScore() ? Verdict.FAIL : Verdict.INCONCLUSIVE;
    return new JudgeResult(score, v, List.of());
  }

  /** Runs one activity call's reads, asking the workflow for its phase at most once. */
  private <T> T inCall(java.util.function.Supplier<T> reads) {
    try {
      return reads.get();
    } finally {
      phaseOfCall.remove();
    }
  }

  private Scenario.MetricRule rule(String metric, Instant at) {
    return world.ruleFor(metric, at, () -> {
      Integer phase = phaseOfCall.get();
      if (phase == null) {
        phase = world.phaseOf(workflowId());
        phaseOfCall.set(phase);
      }
      return phase;
    });
  }

  /** One check of a trigger, as the worker's watch makes at each interval. */
  private GateResult checkOnce(BoundGate trigger, Target target) {
    Instant at = now();
    try {
      return GateResults.trigger(trigger.gate(), checker.check(trigger, target), at);
    } catch (MetricQueryException e) {
      return GateResults.error(trigger.gate(), e.getMessage(), at);
    }
  }

  private boolean scripted(BoundGate g) {
    return rule(g.gate().metric(), now()) != null;
  }

  private static GateResult healthy(BoundGate g) {
    return new GateResult(GateResults.name(g.gate()), g.gate().metric(), null,
        g.gate().op().symbol() + " " + g.gate().threshold(), Verdict.PASS, now(), "unscripted: healthy");
  }

  private void learnUnit(BoundMetric m) {
    if (m != null && m.query() != null && m.query().unit() != null) unitSymbols.put(m.name(), m.query().unit());
  }

  /**
   * A metric's scripted value at {@code at} on the track the request reads, in the metric's unit;
   * null for no data.
   */
  Double value(MetricRequest request, Instant at) {
    String metric = request.metric();
    Scenario.MetricRule rule = request.track() == Track.STABLE
        ? world.stableRuleFor(metric) : rule(metric, at);
    if (rule == null) return UNSCRIPTED_BASELINE;
    if (rule.noData()) return null;
    Unit unit;
    try {
      unit = Units.of(metric, unitSymbols.get(metric));
    } catch (IllegalArgumentException e) {
      throw MetricQueryException.badQuery(e.getMessage());
    }
    // 12% of a metric in % is 12, 1500ms of one in s is 1.5
    return rule.quantity().base() / unit.toBase();
  }

  private static String workflowId() {
    return Activity.getExecutionContext().getInfo().getWorkflowId();
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Activity.getExecutionContext().getInfo().getCurrentAttemptScheduledTimestamp());
  }

  /** The rehearsal's simulated time, read on the activity's thread. */
  private static final class ActivityClock extends Clock {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now();
    }
  }

  /** Every source of one type answers from the scenario. */
  private record ScenarioSource<S extends MetricSource>(Class<S> type, RecordingMetrics metrics)
      implements MetricProvider<S> {

    @Override
    public Optional<Sample> instant(S source, MetricRequest request, Instant at) {
      return Optional.ofNullable(metrics.value(request, at)).map(v -> new Sample(at, v));
    }

    @Override
    public List<Sample> range(S source, MetricRequest request, Instant end, Duration window, Duration step) {
      List<Sample> samples = new ArrayList<>();
      Duration every = step.isZero() || step.isNegative() ? Duration.ofSeconds(1) : step;
      for (Instant t = end.minus(window); !t.isAfter(end); t = t.plus(every)) {
        Double v = metrics.value(request, t);
        if (v != null) samples.add(new Sample(t, v));
      }
      return samples;
    }
  }
}
