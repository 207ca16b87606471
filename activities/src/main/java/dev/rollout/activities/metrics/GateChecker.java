package dev.rollout.activities.metrics;

import dev.rollout.activities.MetricActivities.BoundGate;
import dev.rollout.activities.metrics.GateCondition.Check;
import dev.rollout.plan.Gate;
import dev.rollout.plan.MetricSource;
import dev.rollout.plan.Quantity.Unit;
import dev.rollout.plan.Target;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Reads what a gate needs from its metric's source and checks its condition: one instant query, or
 * a range query over the gate's "for" window so every sample in it is checked.
 */
public final class GateChecker {
  private static final Duration MIN_STEP = Duration.ofSeconds(1);
  /** A gate checked on its own reads a source visited at most this long ago. */
  static final Duration FRESH = Duration.ofMillis(100);
  /** About this many samples per sustained window: fine enough to catch a dip, cheap to fetch. */
  private static final int SAMPLES_PER_WINDOW = 120;

  private final MetricProviders providers;
  private final Clock clock;

  public GateChecker(MetricProviders providers, Clock clock) {
    this.providers = providers;
    this.clock = clock;
  }

  /**
   * What to read for a gate: its source, its query bound to the target, and its window. Watches that
   * ask the same share one read.
   */
  public record ReadKey(MetricSource source, MetricRequest request, Duration sustain) {}

  /**
   * One read of a {@link ReadKey}: the latest sample (an instant query) or the window's samples
   * (a range query, whose window started at {@code from}).
   */
  public record Reading(Instant at, Instant from, Sample latest, List<Sample> samples) {}

  /** @throws MetricQueryException when the source cannot answer */
  public Check check(BoundGate bound, Target target) {
    ReadKey key = keyOf(bound, target);
    GateCondition condition = condition(bound); // a unit mismatch is reported without reading
    return apply(bound.gate(), condition, read(key, clock.instant().minus(FRESH)));
  }

  /** @throws MetricQueryException (bad query) when the gate names no usable metric */
  public ReadKey keyOf(BoundGate bound, Target target) {
    Gate gate = bound.gate();
    if (bound.metric() == null || bound.metric().query() == null) {
      throw MetricQueryException.badQuery("gate '" + GateResults.name(gate) + "' names metric '"
          + gate.metric() + "', which the plan does not declare");
    }
    Duration sustain = gate.sustain() == null || gate.sustain().isZero() ? null : gate.sustain();
    return new ReadKey(bound.metric().source(), QueryTemplate.bind(bound.metric(), target), sustain);
  }

  /**
   * Reads from a visit to the source made at or after {@code readSince}: the many keys of one
   * source read at one tick share one visit where the source is read whole (see {@link
   * MetricProvider#instant(MetricRequest, Instant)}). @throws MetricQueryException when the source cannot answer
   */
  public Reading read(ReadKey key, Instant readSince) {
    MetricProvider provider = providers.forSource(key.source());
    Instant at = clock.instant();
    if (key.sustain() == null) {
      return new Reading(at, at, provider.instant(key.request(), readSince).orElse(null), List.of());
    }
    Instant from = at.minus(key.sustain());
    return new Reading(at, from, null, provider.range(key.request(), key.sustain(), step(key.sustain()), readSince));
  }

  /** The gate's condition on a reading of its key. @throws MetricQueryException (bad query) for a unit mismatch */
  public Check judge(BoundGate bound, Reading reading) {
    return apply(bound.gate(), condition(bound), reading);
  }

  private static GateCondition condition(BoundGate bound) {
    Gate gate = bound.gate();
    try {
      Unit unit = Units.of(gate.metric(), bound.metric().query().unit());
      return new GateCondition(gate, unit, bound.baselineValue());
    } catch (IllegalArgumentException e) {
      throw MetricQueryException.badQuery(e.getMessage());
    }
  }

  private static Check apply(Gate gate, GateCondition condition, Reading reading) {
    if (gate.sustain() == null || gate.sustain().isZero()) {
      return condition.at(reading.latest());
    }
    Duration step = step(gate.sustain());
    return condition.over(reading.samples(), reading.from(), step.multipliedBy(2), gapSlack(gate, step));
  }

  static Duration step(Duration window) {
    Duration step = window.dividedBy(SAMPLES_PER_WINDOW);
    return step.compareTo(MIN_STEP) < 0 ? MIN_STEP : step;
  }

  /**
   * The longest gap between samples that still counts as covered. Sources sampled at each check
   * (scrape) have a sample per interval; Prometheus has one per step.
   */
  static Duration gapSlack(Gate gate, Duration step) {
    Duration perCheck = gate.interval().plusSeconds(1);
    Duration perStep = step.multipliedBy(2);
    return perCheck.compareTo(perStep) > 0 ? perCheck : perStep;
  }
}
