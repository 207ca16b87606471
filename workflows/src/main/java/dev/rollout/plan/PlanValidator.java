package dev.rollout.plan;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks a bound plan must pass before it may run. Binding already refused wrong types and
 * unknown fields; these find what Jackson cannot: missing fields, values out of range, references
 * to undeclared things, and steps in an unsafe order.
 */
final class PlanValidator {
  /** The only plan format so far; a plan may leave it out. */
  static final String API_VERSION = "rollout.dev/v1";

  private PlanValidator() {}

  static void check(Plan plan, LocatedTree tree, Problems problems) {
    CheckContext c = new CheckContext(plan, tree, problems);
    if (plan.apiVersion() != null && !API_VERSION.equals(plan.apiVersion())) {
      c.problem("apiVersion", "'" + plan.apiVersion() + "' is not a supported apiVersion (" + API_VERSION + ")");
    }
    c.required(plan.name(), "name");
    if (c.required(plan.targets(), "targets")) {
      for (int i = 0; i < plan.targets().size(); i++) {
        Target t = plan.targets().get(i);
        if (t == null) {
          c.problem("targets[" + i + "]", "must not be empty");
          continue;
        }
        c.required(t.service(), "targets[" + i + "].service");
        c.required(t.environment(), "targets[" + i + "].environment");
      }
    }
    c.zone(plan.timeZone(), "timeZone");
    c.positive(plan.watch(), "watch");
    noRepeats(c, plan.roles(), "roles", "role");
    ResourceChecks.check(c);
    metrics(c);
    GateChecks.checkTriggers(c, plan.triggers(), "triggers");
    if (c.required(plan.phases(), "phases")) PhaseChecks.check(c);
    StepChecks.checkAll(c, plan.rollback(), "rollback");
    TargetChecks.check(c);
    OrderChecks.check(c);
    Notifications n = plan.notifications();
    if (n != null) {
      Map<String, Notifier> notifiers = plan.resources().notifiers();
      c.declared(n.notifier(), notifiers, "notifier", "notifications.notifier");
      c.declared(n.onRollback(), notifiers, "notifier", "notifications.onRollback");
      c.declared(n.onComplete(), notifiers, "notifier", "notifications.onComplete");
      escalation(c, n.escalation(), notifiers);
    }
  }

  /** Each rung names a declared notifier and a delay, the rungs in the order they fall due. */
  private static void escalation(CheckContext c, List<Escalation> rungs, Map<String, Notifier> notifiers) {
    java.time.Duration previous = null;
    for (int i = 0; i < rungs.size(); i++) {
      String path = PlanPaths.index("notifications.escalation", i);
      Escalation rung = rungs.get(i);
      if (rung == null) {
        c.problem(path, "must not be empty");
        continue;
      }
      if (c.required(rung.notifier(), path + ".notifier")) {
        c.declared(rung.notifier(), notifiers, "notifier", path + ".notifier");
      }
      if (!c.required(rung.after(), path + ".after")) continue;
      if (rung.after().isNegative()) {
        c.problem(path + ".after", "must not be negative: a rung is told once the incident has been open that long"
            + " (0m: at once)");
      } else if (previous != null && rung.after().compareTo(previous) < 0) {
        c.problem(path + ".after", Durations.format(rung.after()) + " comes before the rung above it ("
            + Durations.format(previous) + "): list the rungs in the order they are told");
      }
      if (!rung.after().isNegative()) previous = rung.after();
    }
  }

  private static void metrics(CheckContext c) {
    for (var e : c.plan.metrics().entrySet()) {
      String path = PlanPaths.field("metrics", e.getKey());
      MetricQuery m = e.getValue();
      if (m == null) {
        c.problems.missing(path + ".query");
        continue;
      }
      if (c.required(m.source(), path + ".source")) {
        c.declared(m.source(), c.plan.resources().metricSources(), "metric source", path + ".source");
      }
      c.required(m.query(), path + ".query");
      if (m.unit() != null && !m.unit().isEmpty() && Quantity.Unit.of(m.unit()) == null) {
        c.problem(path + ".unit", "'" + m.unit() + "' is not a unit (%, ms, s, m, B, KB, MB, GB, KiB, MiB, GiB)");
      } else if (Quantity.Unit.of(m.unit() == null ? "-" : m.unit()) == Quantity.Unit.PERCENTAGE_POINTS) {
        c.problem(path + ".unit", "pp (percentage points) measures a change, not a value: a metric returning"
            + " percentages has unit %");
      }
      TrackChecks.metric(c, m, path);
    }
  }

  /** Names in a list that must be distinct (roles, approvers). */
  static void noRepeats(CheckContext c, List<String> names, String path, String what) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i) != null && !seen.add(names.get(i))) {
        c.problem(PlanPaths.index(path, i), what + " '" + names.get(i) + "' is listed twice");
      }
    }
  }
}
