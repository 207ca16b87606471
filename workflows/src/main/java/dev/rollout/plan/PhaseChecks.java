package dev.rollout.plan;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Each phase: a unique name, a bake that is a real duration, sane windows, freezes and approvals. */
final class PhaseChecks {
  private PhaseChecks() {}

  static void check(CheckContext c) {
    Map<String, Integer> names = new HashMap<>();
    List<Phase> phases = c.plan.phases();
    for (int i = 0; i < phases.size(); i++) {
      Phase phase = phases.get(i);
      String p = PlanPaths.index("phases", i);
      if (phase == null) {
        c.problem(p, "must not be empty");
        continue;
      }
      if (c.required(phase.name(), p + ".name")) {
        Integer first = names.putIfAbsent(phase.name(), i);
        if (first != null) {
          c.problem(p + ".name", "phase name '" + phase.name() + "' is already used by phases[" + first + "]");
        }
      }
      if (phase.bake().isNegative() || (phase.bake().isZero() && c.tree.nodeAt(p + ".bake") != null)) {
        c.positive(phase.bake(), p + ".bake");
      }
      window(c, phase.window(), p + ".window");
      for (int f = 0; f < phase.freezes().size(); f++) freeze(c, phase.freezes().get(f), p + ".freezes[" + f + "]");
      approval(c, phase.entryApproval(), p + ".entryApproval");
      approval(c, phase.exitApproval(), p + ".exitApproval");
      for (int s = 0; s < phase.skipBakeRoles().size(); s++) {
        c.role(phase.skipBakeRoles().get(s), p + ".skipBakeRoles[" + s + "]");
      }
      StepChecks.checkAll(c, phase.steps(), p + ".steps");
      GateChecks.checkGates(c, phase.gates(), p + ".gates");
      GateChecks.checkTriggers(c, phase.triggers(), p + ".triggers");
      StepChecks.checkAll(c, phase.rollback(), p + ".rollback");
    }
  }

  private static void window(CheckContext c, Window w, String p) {
    if (w == null) return;
    boolean start = c.required(w.start(), p + ".start");
    boolean end = c.required(w.end(), p + ".end");
    // An end before the start runs over midnight (22:00-02:00); only an empty window is wrong.
    if (start && end && w.end().equals(w.start())) {
      c.problem(p + ".end", "the window ends at " + w.end() + ", when it starts: it is never open");
    }
    c.zone(w.timeZone(), p + ".timeZone");
  }

  private static void freeze(CheckContext c, Freeze f, String p) {
    if (f == null) return;
    boolean from = c.required(f.from(), p + ".from");
    boolean to = c.required(f.to(), p + ".to");
    if (from && to && !f.to().isAfter(f.from())) {
      c.problem(p + ".to", "the freeze ends at " + f.to() + ", not after it starts at " + f.from());
    }
  }

  static void approval(CheckContext c, Approval a, String p) {
    if (a == null) return;
    if (c.required(a.roles(), p + ".roles")) {
      for (int i = 0; i < a.roles().size(); i++) c.role(a.roles().get(i), p + ".roles[" + i + "]");
      PlanValidator.noRepeats(c, a.roles(), p + ".roles", "role");
      long distinct = a.roles().stream().distinct().count();
      if (a.quorum() != null && a.quorum() < 1) {
        c.problem(p + ".quorum", "quorum " + a.quorum() + " must be at least 1");
      } else if (a.quorum() != null && a.quorum() > distinct) {
        c.problem(p + ".quorum", "quorum " + a.quorum() + " is more than the " + distinct
            + " role(s) that can approve");
      }
    }
    c.positive(a.deadline(), p + ".deadline");
    c.positive(a.remindEvery(), p + ".remindEvery");
    if (a.onTimeout() != TimeoutAction.WAIT && a.deadline() == null) {
      c.problem(p + ".deadline", "a deadline is required when onTimeout is "
          + a.onTimeout().name().toLowerCase(java.util.Locale.ROOT));
    }
    if (a.onTimeout() == TimeoutAction.ESCALATE) c.required(a.escalateTo(), p + ".escalateTo");
    for (int i = 0; i < a.escalateTo().size(); i++) c.role(a.escalateTo().get(i), p + ".escalateTo[" + i + "]");
    c.declared(a.notifier(), c.plan.resources().notifiers(), "notifier", p + ".notifier");
  }
}
