package dev.rollout.plan;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Map;

/** What every validation check needs: the plan, where its fields are, and where problems go. */
final class CheckContext {
  final Plan plan;
  final LocatedTree tree;
  final Problems problems;

  /** Where each kind of named thing is declared. */
  private static final Map<String, String> DECLARED_IN = Map.of(
      "database", "resources.databases",
      "router", "resources.routers",
      "flag store", "resources.flagStores",
      "metric source", "resources.metricSources",
      "workload", "resources.workloads",
      "notifier", "resources.notifiers",
      "metric", "metrics");

  CheckContext(Plan plan, LocatedTree tree, Problems problems) {
    this.plan = plan;
    this.tree = tree;
    this.problems = problems;
  }

  void problem(String path, String message) {
    problems.at(path, message);
  }

  /** Reports a missing field; true when it is present. */
  boolean required(Object value, String path) {
    boolean present = value != null && !(value instanceof String s && s.isBlank())
        && !(value instanceof Collection<?> c && c.isEmpty()) && !(value instanceof Map<?, ?> m && m.isEmpty());
    if (!present) {
      var node = tree.nodeAt(path);
      if (node != null && !node.isNull()) {
        problems.at(path, "must not be empty");
      } else {
        problems.missing(path);
      }
    }
    return present;
  }

  /** For primitives, which bind to 0 when absent: was the field written at all? */
  boolean written(String path) {
    var node = tree.nodeAt(path);
    if (node == null || node.isNull()) {
      problems.missing(path);
      return false;
    }
    return true;
  }

  /** A duration, when given, must be longer than zero. */
  void positive(Duration d, String path) {
    if (d != null && (d.isNegative() || d.isZero())) {
      var node = tree.nodeAt(path);
      problem(path, (node == null ? d.toString() : node.asText()) + " is not a positive duration");
    }
  }

  /** A reference to a declared resource; reports the declared names when it is not one. */
  void declared(String name, Map<String, ?> declared, String what, String path) {
    if (name == null || declared.containsKey(name)) return;
    // A declaration already reported (and cut out while binding) is not reported again here.
    if (problems.isSilenced(PlanPaths.field(DECLARED_IN.getOrDefault(what, what), name))) return;
    String known = declared.isEmpty() ? "none are declared" : "declared: " + String.join(", ", declared.keySet());
    problem(path, what + " '" + name + "' is not declared (" + known + ")");
  }

  /** A number as people wrote it: {@code 140}, not {@code 140.0}. */
  static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }

  /** A required reference to a declared resource. */
  void reference(String name, Map<String, ?> declared, String what, String path) {
    if (required(name, path)) declared(name, declared, what, path);
  }

  void role(String role, String path) {
    if (role != null && !plan.roles().contains(role)) {
      problem(path, "role '" + role + "' is not declared in roles (" + String.join(", ", plan.roles()) + ")");
    }
  }

  void zone(String zone, String path) {
    if (zone == null) return;
    try {
      ZoneId.of(zone);
    } catch (RuntimeException e) {
      problem(path, "'" + zone + "' is not a time zone (an IANA id such as UTC or Europe/Berlin)");
    }
  }
}
