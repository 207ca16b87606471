package dev.rollout.activities.metrics;

import dev.rollout.plan.Durations;
import dev.rollout.plan.Gate;
import dev.rollout.plan.Quantity;
import dev.rollout.plan.Quantity.Unit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Whether a gate's condition ({@code value op threshold}) is true. Pure: the samples come in, the
 * answer goes out. It says nothing about good or bad: an acceptance gate passes when its condition
 * holds, a rollback trigger fires when its condition holds ({@link GateResults} maps the two).
 */
public final class GateCondition {

  public enum Outcome {
    HOLDS,
    DOES_NOT_HOLD,
    NO_DATA
  }

  /**
   * @param value the latest value seen, in the metric's unit, or null
   * @param threshold the effective threshold as people read it: {@code > 240ms (baseline 200ms +20%)}
   */
  public record Check(Outcome outcome, Double value, String threshold, String detail) {}

  private final Gate gate;
  private final Unit unit;
  private final Double baseline;

  /**
   * @param unit what the metric's query returns
   * @param baseline the metric's value when the phase started (its unit), for relative gates
   */
  public GateCondition(Gate gate, Unit unit, Double baseline) {
    this.gate = gate;
    this.unit = unit;
    this.baseline = baseline;
    if (gate.relativeTo() == null || gate.threshold().unit() != Unit.PERCENT) {
      Units.requireComparable(gate.metric(), unit, gate.threshold());
    }
  }

  /** The condition at one sample (an instant query); empty means no data. */
  public Check at(Sample sample) {
    if (sample == null || Double.isNaN(sample.value())) return noData("the query returned no data");
    if (relativeWithoutBaseline()) return noData("no baseline was captured for this relative gate");
    double threshold = thresholdBase();
    boolean holds = gate.op().holds(sample.value() * unit.toBase(), threshold);
    String seen = Units.format(sample.value() * unit.toBase(), shownUnit());
    return new Check(
        holds ? Outcome.HOLDS : Outcome.DOES_NOT_HOLD,
        sample.value(),
        describe(threshold),
        gate.metric() + " = " + seen + (holds ? " " : " not ") + describe(threshold));
  }

  /**
   * The condition over a window ("for 3m"): holds only when it holds at EVERY sample and the samples
   * cover the whole window: the first at most {@code startSlack} after {@code from}, none more than
   * {@code gapSlack} after the one before.
   */
  public Check over(List<Sample> samples, Instant from, Duration startSlack, Duration gapSlack) {
    List<Sample> seen = samples.stream().filter(s -> !Double.isNaN(s.value())).toList();
    if (seen.isEmpty()) return noData("the query returned no data over " + window());
    if (relativeWithoutBaseline()) return noData("no baseline was captured for this relative gate");
    double threshold = thresholdBase();
    long holding = seen.stream().filter(s -> gate.op().holds(s.value() * unit.toBase(), threshold)).count();
    Sample last = seen.get(seen.size() - 1);
    String latest = gate.metric() + " = " + Units.format(last.value() * unit.toBase(), shownUnit());
    if (holding < seen.size()) {
      return new Check(Outcome.DOES_NOT_HOLD, last.value(), describe(threshold),
          latest + "; " + describe(threshold) + " at " + holding + " of " + seen.size() + " samples over " + window());
    }
    Instant covered = coveredSince(seen, gapSlack);
    if (covered.isAfter(from.plus(startSlack))) {
      Duration held = Duration.between(covered, last.at());
      return new Check(Outcome.DOES_NOT_HOLD, last.value(), describe(threshold),
          latest + "; " + describe(threshold) + " for only " + Durations.format(held) + " of " + window());
    }
    return new Check(Outcome.HOLDS, last.value(), describe(threshold),
        latest + "; " + describe(threshold) + " at all " + seen.size() + " samples over " + window());
  }

  /** The start of the last run of samples with no gap longer than {@code slack}. */
  private static Instant coveredSince(List<Sample> samples, Duration slack) {
    Instant since = samples.get(0).at();
    for (int i = 1; i < samples.size(); i++) {
      if (Duration.between(samples.get(i - 1).at(), samples.get(i).at()).compareTo(slack) > 0) {
        since = samples.get(i).at();
      }
    }
    return since;
  }

  /**
   * The threshold in base units; relative gates move it from the baseline: {@code %} in proportion
   * to it (baseline × 1.05), percentage points ({@code pp}) and other units by adding to it.
   */
  double thresholdBase() {
    Quantity t = gate.threshold();
    if (gate.relativeTo() == null) return t.base();
    double base = baseline * unit.toBase();
    return t.unit() == Unit.PERCENT ? base * (1 + t.base()) : base + t.base();
  }

  private String describe(double thresholdBase) {
    String effective = gate.op().symbol() + " " + Units.format(thresholdBase, shownUnit());
    if (gate.relativeTo() == null) return effective;
    String change = (gate.threshold().value() >= 0 ? "+" : "") + gate.threshold();
    return effective + " (baseline " + Units.format(baseline * unit.toBase(), shownUnit()) + " " + change + ")";
  }

  /** Show thresholds in the unit people wrote, unless it was a relative % or pp change. */
  private Unit shownUnit() {
    Unit written = gate.threshold().unit();
    boolean change = written == Unit.PERCENT || written == Unit.PERCENTAGE_POINTS;
    return gate.relativeTo() != null && change ? unit : written == Unit.NONE ? unit : written;
  }

  private boolean relativeWithoutBaseline() {
    return gate.relativeTo() != null && (baseline == null || Double.isNaN(baseline));
  }

  private String window() {
    return gate.sustain() == null ? "the window" : Durations.format(gate.sustain());
  }

  private Check noData(String why) {
    return new Check(Outcome.NO_DATA, null, gate.op().symbol() + " " + gate.threshold(), why);
  }
}
