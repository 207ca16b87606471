package dev.rollout.activities.metrics;

import dev.rollout.activities.MetricActivities.BoundGate;
import dev.rollout.activities.metrics.GateCondition.Check;
import dev.rollout.plan.Gate;
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
  /** About this many samples per sustained window: fine enough to catch a dip, cheap to fetch. */
  private static final int SAMPLES_PER_WINDOW = 120;

  private final MetricProviders providers;
  private final Clock clock;

  public GateChecker(MetricProviders providers, Clock clock) {
    this.providers = providers;
    this.clock = clock;
  }

  /** @throws MetricQueryException when the source cannot answer */
  public Check check(BoundGate bound, Target target) {
    Gate gate = bound.gate();
    if (bound.metric() == null || bound.metric().query() == null) {
      throw MetricQueryException.badQuery("gate '" + GateResults.name(gate) + "' names metric '"
          + gate.metric() + "', which the plan does not declare");
    }
    MetricProvider provider = providers.forSource(bound.metric().source());
    MetricRequest request = QueryTemplate.bind(bound.metric(), target);
    GateCondition condition;
    try {
      Unit unit = Units.of(gate.metric(), bound.metric().query().unit());
      condition = new GateCondition(gate, unit, bound.baselineValue());
    } catch (IllegalArgumentException e) {
      throw MetricQueryException.badQuery(e.getMessage());
    }
    if (gate.sustain() == null || gate.sustain().isZero()) {
      return condition.at(provider.instant(request).orElse(null));
    }
    Duration step = step(gate.sustain());
    Instant from = clock.instant().minus(gate.sustain());
    List<Sample> samples = provider.range(request, gate.sustain(), step);
    return condition.over(samples, from, step.multipliedBy(2), gapSlack(gate, step));
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
