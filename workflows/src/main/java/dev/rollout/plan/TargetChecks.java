package dev.rollout.plan;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Targets are distinct, and with several targets every phase names the one it acts on; the phases
 * on one target run one after another (a stage), so a rollback of that target undoes its stage.
 */
final class TargetChecks {
  private TargetChecks() {}

  static void check(CheckContext c) {
    List<Target> targets = c.plan.targets();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < targets.size(); i++) {
      Target t = targets.get(i);
      if (t == null) continue;
      Integer first = seen.putIfAbsent(t.key(), i);
      if (first != null) c.problem("targets[" + i + "]", "target " + t.key() + " is already listed as targets[" + first + "]");
      if (t.name() != null) {
        first = seen.putIfAbsent("name:" + t.name(), i);
        if (first != null) c.problem("targets[" + i + "].name", "target name '" + t.name() + "' is already used by targets[" + first + "]");
      }
    }
    phases(c, targets);
  }

  private static void phases(CheckContext c, List<Target> targets) {
    String known = targets.stream().filter(t -> t != null)
        .map(t -> t.name() == null ? t.key() : t.name() + " (" + t.key() + ")").collect(Collectors.joining(", "));
    Map<Target, Integer> lastPhaseOf = new HashMap<>();
    Target previous = null;
    for (int i = 0; i < c.plan.phases().size(); i++) {
      Phase phase = c.plan.phases().get(i);
      if (phase == null) continue;
      String path = PlanPaths.index("phases", i) + ".target";
      if (phase.target() == null) {
        if (targets.size() > 1) {
          c.problem(path, "the plan has " + targets.size() + " targets; name the one this phase acts on (" + known + ")");
        }
        continue;
      }
      Target t = targets.stream().filter(x -> x != null && x.isNamed(phase.target())).findFirst().orElse(null);
      if (t == null) {
        c.problem(path, "target '" + phase.target() + "' is not one of the plan's targets (" + known + ")");
        continue;
      }
      Integer last = lastPhaseOf.get(t);
      if (last != null && !t.equals(previous)) {
        c.problem(path, "phases on target " + t.key() + " must follow one another (a stage); phases["
            + last + "] is on it already, and a rollback of one target undoes its stage");
      }
      lastPhaseOf.put(t, i);
      previous = t;
    }
  }
}
