package dev.rollout.plan;

import java.util.List;
import java.util.Set;

/** Metric gates and rollback triggers: a declared metric, a comparison, a threshold it can mean. */
final class GateChecks {
  private static final Set<Quantity.Unit> TIMES =
      Set.of(Quantity.Unit.MILLISECONDS, Quantity.Unit.SECONDS, Quantity.Unit.MINUTES);

  private GateChecks() {}

  /** Acceptance gates: they must hold to advance. */
  static void checkGates(CheckContext c, List<Gate> gates, String path) {
    checkAll(c, gates, path, true);
  }

  /** Rollback triggers: they act when their condition holds. */
  static void checkTriggers(CheckContext c, List<Gate> triggers, String path) {
    checkAll(c, triggers, path, false);
  }

  private static void checkAll(CheckContext c, List<Gate> gates, String path, boolean acceptance) {
    for (int i = 0; i < gates.size(); i++) {
      if (gates.get(i) == null) {
        c.problem(PlanPaths.index(path, i), "must not be empty");
      } else {
        check(c, gates.get(i), PlanPaths.index(path, i), acceptance);
      }
    }
  }

  private static void check(CheckContext c, Gate gate, String path, boolean acceptance) {
    MetricQuery metric = null;
    if (c.required(gate.metric(), path + ".metric")) {
      c.declared(gate.metric(), c.plan.metrics(), "metric", path + ".metric");
      metric = c.plan.metrics().get(gate.metric());
    }
    c.required(gate.op(), path + ".op");
    c.positive(gate.sustain(), path + ".for");
    c.positive(gate.interval(), path + ".interval");
    TrackChecks.gate(c, gate, metric, path);
    tier(c, gate, path, acceptance);
    Quantity t = gate.threshold();
    if (!c.required(t, path + ".threshold")) return;
    boolean relative = gate.relativeTo() != null;
    if (!relative && t.unit() == Quantity.Unit.PERCENT && (t.value() < 0 || t.value() > 100)) {
      c.problem(path + ".threshold", t + " is not a percentage (0-100)");
      return;
    }
    if (!relative && t.unit() == Quantity.Unit.PERCENTAGE_POINTS) {
      c.problem(path + ".threshold", t + " is a change in percentage points, which needs relativeTo: baseline;"
          + " an absolute threshold is written in % (" + CheckContext.number(t.value()) + "%)");
      return;
    }
    Quantity.Unit metricUnit = metric == null || metric.unit() == null ? null : Quantity.Unit.of(metric.unit());
    if (metric != null && !fits(t.unit(), metricUnit, relative)) {
      c.problem(path + ".threshold", t + " does not match the unit of metric '" + gate.metric() + "' ("
          + (metricUnit == null || metricUnit == Quantity.Unit.NONE ? "a plain number" : metricUnit.symbol()) + ")");
      return;
    }
    if (acceptance && relative && metric != null && neverPassesAtZero(gate, metricUnit)) {
      c.problem(path + ".threshold", "'" + gate.metric() + " < " + t + " relative to baseline' can never pass"
          + " when the baseline is 0 (no errors before the change): 0 + " + t + " is still 0, and " + gate.metric()
          + " cannot go below 0; write the allowed increase in percentage points ("
          + CheckContext.number(Math.abs(t.value())) + "pp)");
    }
  }

  /** {@code action}, {@code remindEvery} and {@code notifier} belong to triggers, and fit together. */
  private static void tier(CheckContext c, Gate gate, String path, boolean acceptance) {
    if (acceptance) {
      for (String field : new String[] {"action", "remindEvery", "notifier"}) {
        var node = c.tree.nodeAt(path + "." + field);
        if (node != null && !node.isNull()) {
          c.problem(path + "." + field, "only a trigger has '" + field + "'; an acceptance gate must hold to go on"
              + " (a failed one does what the phase's onGateFailure says)");
        }
      }
      return;
    }
    c.positive(gate.remindEvery(), path + ".remindEvery");
    if (gate.remindEvery() != null && gate.firingAction() != TriggerAction.NOTIFY) {
      c.problem(path + ".remindEvery", "remindEvery needs action: notify (a " + gate.firingAction().name()
          .toLowerCase(java.util.Locale.ROOT) + " trigger acts once)");
    }
    if (gate.notifier() != null && gate.firingAction() == TriggerAction.ROLLBACK) {
      c.problem(path + ".notifier", "notifier needs action: notify or hold (a rollback is told to"
          + " notifications.onRollback)");
    }
    c.declared(gate.notifier(), c.plan.resources().notifiers(), "notifier", path + ".notifier");
  }

  /**
   * A {@code %} change is proportional, so against a baseline of 0 the threshold is 0 whatever the
   * percentage; a strict {@code <} then never holds for a rate or ratio, which is 0 at best (an
   * error rate before the change very often is). Times and sizes are never 0 at the baseline.
   */
  private static boolean neverPassesAtZero(Gate gate, Quantity.Unit metricUnit) {
    boolean rate = metricUnit == null || metricUnit == Quantity.Unit.NONE || metricUnit == Quantity.Unit.PERCENT;
    return rate && gate.op() == Comparison.LT && gate.threshold().unit() == Quantity.Unit.PERCENT;
  }

  /**
   * Thresholds are compared in base units, so a time meets a time (200ms against seconds) and a size
   * a size. A bare number or a percentage fits a metric that is a plain number, a ratio or a
   * percentage; a percentage also fits any relative gate (a change against the baseline), while
   * percentage points fit only a plain number, a ratio or a percentage. A bare
   * number never fits a time or a size: the unit must be written.
   */
  private static boolean fits(Quantity.Unit threshold, Quantity.Unit metric, boolean relative) {
    boolean plainMetric = metric == null || metric == Quantity.Unit.NONE || metric == Quantity.Unit.PERCENT;
    if (threshold == Quantity.Unit.NONE) return plainMetric;
    if (threshold == Quantity.Unit.PERCENT) return relative || plainMetric;
    if (threshold == Quantity.Unit.PERCENTAGE_POINTS) return plainMetric;
    return !plainMetric && dimension(threshold).equals(dimension(metric));
  }

  private static String dimension(Quantity.Unit unit) {
    if (unit == Quantity.Unit.PERCENT || unit == Quantity.Unit.PERCENTAGE_POINTS) return "ratio";
    if (TIMES.contains(unit)) return "time";
    if (unit == Quantity.Unit.NONE) return "number";
    return "size";
  }
}
