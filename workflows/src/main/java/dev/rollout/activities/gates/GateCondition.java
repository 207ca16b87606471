package dev.rollout.activities.gates;

import dev.rollout.plan.Baseline;
import dev.rollout.plan.Durations;
import dev.rollout.plan.Gate;
import dev.rollout.plan.Quantity.Unit;
import dev.rollout.plan.Quantity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
   * @param baseline the metric's value captured before the first change (its unit), for gates
   *     relative to the baseline
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
    if (relativeToInfiniteBaseline()) return noData(unusableReference("the baseline", baseline));
    return at(sample, baseline);
  }

  /**
   * The condition of a {@code relativeTo: stable} gate: the canary's sample against the threshold
   * moved from the stable's sample of the same moment.
   */
  public Check at(Sample canary, Sample stable) {
    if (canary == null || Double.isNaN(canary.value())) return noData("the canary's query returned no data");
    if (stable == null || Double.isNaN(stable.value())) return noData("the stable's query returned no data");
    if (!Double.isFinite(stable.value())) return noData(unusableReference("the stable's value", stable.value()));
    return at(canary, stable.value());
  }

  private Check at(Sample sample, Double reference) {
    double threshold = thresholdBase(reference);
    boolean holds = gate.op().holds(sample.value() * unit.toBase(), threshold);
    String seen = Units.format(sample.value() * unit.toBase(), shownUnit());
    return new Check(
        holds ? Outcome.HOLDS : Outcome.DOES_NOT_HOLD,
        sample.value(),
        describe(threshold, reference),
        gate.metric() + " = " + seen + (holds ? " " : " not ") + describe(threshold, reference));
  }

  /**
   * The condition over a window ("for 3m"): holds only when it holds at EVERY sample and the samples
   * cover the whole window: the first at most {@code startSlack} after {@code from}, none more than
   * {@code gapSlack} after the one before, the last at most {@code gapSlack} before the window's end
   * ({@code from} + the gate's {@code for}).
   */
  public Check over(List<Sample> samples, Instant from, Duration startSlack, Duration gapSlack) {
    List<Sample> seen = samples.stream().filter(s -> !Double.isNaN(s.value())).toList();
    if (seen.isEmpty()) return noData("the query returned no data over " + window());
    if (relativeWithoutBaseline()) return noData("no baseline was captured for this relative gate");
    if (relativeToInfiniteBaseline()) return noData(unusableReference("the baseline", baseline));
    List<Double> references = seen.stream().map(s -> baseline).toList();
    return judged(seen, references, from, startSlack, gapSlack);
  }

  /**
   * The condition of a {@code relativeTo: stable} gate over a window: at every moment both tracks
   * have a sample, the canary's against the threshold moved from the stable's of that moment.
   * Moments only one track has are left out; the rest must still cover the window.
   */
  public Check over(List<Sample> canary, List<Sample> stable, Instant from, Duration startSlack, Duration gapSlack) {
    Map<Instant, Double> stableAt = new HashMap<>();
    // An infinite stable value moves no threshold (every canary value would be under +Inf): left out.
    stable.stream().filter(s -> Double.isFinite(s.value())).forEach(s -> stableAt.put(s.at(), s.value()));
    List<Sample> seen = new ArrayList<>();
    List<Double> references = new ArrayList<>();
    for (Sample s : canary) {
      Double reference = stableAt.get(s.at());
      if (Double.isNaN(s.value()) || reference == null) continue;
      seen.add(s);
      references.add(reference);
    }
    if (seen.isEmpty()) {
      boolean canaryEmpty = canary.stream().allMatch(s -> Double.isNaN(s.value()));
      return noData("the " + (canaryEmpty ? "canary's" : "stable's") + " query returned no data over " + window());
    }
    return judged(seen, references, from, startSlack, gapSlack);
  }

  /** {@code seen[i]} against the threshold moved from {@code references[i]} (null when absolute). */
  private Check judged(List<Sample> seen, List<Double> references, Instant from, Duration startSlack, Duration gapSlack) {
    int holding = 0;
    for (int i = 0; i < seen.size(); i++) {
      if (gate.op().holds(seen.get(i).value() * unit.toBase(), thresholdBase(references.get(i)))) holding++;
    }
    Sample last = seen.get(seen.size() - 1);
    Double lastReference = references.get(references.size() - 1);
    String shown = describe(thresholdBase(lastReference), lastReference);
    String latest = gate.metric() + " = " + Units.format(last.value() * unit.toBase(), shownUnit());
    if (holding < seen.size()) {
      return new Check(Outcome.DOES_NOT_HOLD, last.value(), shown,
          latest + "; " + shown + " at " + holding + " of " + seen.size() + " samples over " + window());
    }
    // A series that stopped (a target gone, a label no longer exported) leaves the end of the
    // window without samples: what was seen before cannot vouch for the rest of the window.
    Instant to = gate.sustain() == null ? last.at() : from.plus(gate.sustain());
    if (Duration.between(last.at(), to).compareTo(gapSlack) > 0) {
      return new Check(Outcome.DOES_NOT_HOLD, last.value(), shown, latest + "; no sample in the last "
          + Durations.format(Duration.between(last.at(), to)) + " of " + window() + " (the series stopped)");
    }
    Instant covered = coveredSince(seen, gapSlack);
    if (covered.isAfter(from.plus(startSlack))) {
      Duration held = Duration.between(covered, last.at());
      return new Check(Outcome.DOES_NOT_HOLD, last.value(), shown,
          latest + "; " + shown + " for only " + Durations.format(held) + " of " + window());
    }
    return new Check(Outcome.HOLDS, last.value(), shown,
        latest + "; " + shown + " at all " + seen.size() + " samples over " + window());
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
   * The threshold in base units; relative gates move it from {@code reference} (the baseline, or
   * the stable's value at the same moment), in the metric's unit: {@code %} in proportion to it
   * (reference × 1.05), percentage points ({@code pp}) and other units by adding to it.
   */
  double thresholdBase(Double reference) {
    Quantity t = gate.threshold();
    if (gate.relativeTo() == null) return t.base();
    double base = reference * unit.toBase();
    return t.unit() == Unit.PERCENT ? base * (1 + t.base()) : base + t.base();
  }

  private String describe(double thresholdBase, Double reference) {
    String effective = gate.op().symbol() + " " + Units.format(thresholdBase, shownUnit());
    if (gate.relativeTo() == null) return effective;
    String change = (gate.threshold().value() >= 0 ? "+" : "") + gate.threshold();
    String against = gate.relativeTo() == Baseline.STABLE ? "stable " : "baseline ";
    return effective + " (" + against + Units.format(reference * unit.toBase(), shownUnit()) + " " + change + ")";
  }

  /** Show thresholds in the unit people wrote, unless it was a relative % or pp change. */
  private Unit shownUnit() {
    Unit written = gate.threshold().unit();
    boolean change = written == Unit.PERCENT || written == Unit.PERCENTAGE_POINTS;
    return gate.relativeTo() != null && change ? unit : written == Unit.NONE ? unit : written;
  }

  /** A gate relative to the baseline with none captured (a stable-relative one reads its own). */
  private boolean relativeWithoutBaseline() {
    return gate.relativeTo() == Baseline.BASELINE && (baseline == null || Double.isNaN(baseline));
  }

  /**
   * A baseline of ±Inf (e.g. x/0 read before the first change) moves the threshold to ±Inf: a
   * relative gate would pass, and a relative trigger never fire, whatever the canary does.
   */
  private boolean relativeToInfiniteBaseline() {
    return gate.relativeTo() == Baseline.BASELINE && Double.isInfinite(baseline);
  }

  private static String unusableReference(String what, double value) {
    return what + " is " + (value > 0 ? "+Inf" : "-Inf") + ", so no threshold can be moved from it";
  }

  private String window() {
    return gate.sustain() == null ? "the window" : Durations.format(gate.sustain());
  }

  private Check noData(String why) {
    return new Check(Outcome.NO_DATA, null, gate.op().symbol() + " " + gate.threshold(), why);
  }
}
