package dev.rollout.plan;

import java.util.List;
import java.util.Set;

/** Metric gates and rollback triggers: a declared metric, a comparison, a threshold it can mean. */
final class GateChecks {
  private static final Set<Quantity.Unit> TIMES =
      Set.of(Quantity.Unit.MILLISECONDS, Quantity.Unit.SECONDS, Quantity.Unit.MINUTES);

  private GateChecks() {}

  static void checkAll(CheckContext c, List<Gate> gates, String path) {
    for (int i = 0; i < gates.size(); i++) {
      if (gates.get(i) == null) {
        c.problem(PlanPaths.index(path, i), "must not be empty");
      } else {
        check(c, gates.get(i), PlanPaths.index(path, i));
      }
    }
  }

  static void check(CheckContext c, Gate gate, String path) {
    MetricQuery metric = null;
    if (c.required(gate.metric(), path + ".metric")) {
      c.declared(gate.metric(), c.plan.metrics(), "metric", path + ".metric");
      metric = c.plan.metrics().get(gate.metric());
    }
    c.required(gate.op(), path + ".op");
    c.positive(gate.sustain(), path + ".for");
    c.positive(gate.interval(), path + ".interval");
    TrackChecks.gate(c, gate, metric, path);
    Quantity t = gate.threshold();
    if (!c.required(t, path + ".threshold")) return;
    boolean relative = gate.relativeTo() != null;
    if (!relative && t.unit() == Quantity.Unit.PERCENT && (t.value() < 0 || t.value() > 100)) {
      c.problem(path + ".threshold", t + " is not a percentage (0-100)");
      return;
    }
    Quantity.Unit metricUnit = metric == null || metric.unit() == null ? null : Quantity.Unit.of(metric.unit());
    if (metric != null && !fits(t.unit(), metricUnit, relative)) {
      c.problem(path + ".threshold", t + " does not match the unit of metric '" + gate.metric() + "' ("
          + (metricUnit == null || metricUnit == Quantity.Unit.NONE ? "a plain number" : metricUnit.symbol()) + ")");
    }
  }

  /**
   * Thresholds are compared in base units, so a time meets a time (200ms against seconds) and a size
   * a size. A bare number or a percentage fits a metric that is a plain number, a ratio or a
   * percentage; a percentage also fits any relative gate (a change against the baseline). A bare
   * number never fits a time or a size: the unit must be written.
   */
  private static boolean fits(Quantity.Unit threshold, Quantity.Unit metric, boolean relative) {
    boolean plainMetric = metric == null || metric == Quantity.Unit.NONE || metric == Quantity.Unit.PERCENT;
    if (threshold == Quantity.Unit.NONE) return plainMetric;
    if (threshold == Quantity.Unit.PERCENT) return relative || plainMetric;
    return !plainMetric && dimension(threshold).equals(dimension(metric));
  }

  private static String dimension(Quantity.Unit unit) {
    if (unit == Quantity.Unit.PERCENT) return "ratio";
    if (TIMES.contains(unit)) return "time";
    if (unit == Quantity.Unit.NONE) return "number";
    return "size";
  }
}
