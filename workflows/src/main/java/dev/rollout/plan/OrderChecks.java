package dev.rollout.plan;

import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Steps in an unsafe order, read top to bottom through the phases (rollback steps are exempt): a
 * migration needs a backup of its database earlier in the plan; traffic only goes up; the old
 * schema is contracted only once the traffic shifted so far has reached 100 %. And a database's
 * {@code onRollback: restore} needs a breaking migration of it: only that undo restores a backup.
 */
final class OrderChecks {
  private OrderChecks() {}

  static void check(CheckContext c) {
    Set<String> backedUp = new HashSet<>();
    Set<String> breaking = new HashSet<>();
    Map<String, Double> traffic = new LinkedHashMap<>();
    List<Phase> phases = c.plan.phases();
    for (int i = 0; i < phases.size(); i++) {
      if (phases.get(i) == null) continue;
      List<Step> steps = phases.get(i).steps();
      for (int s = 0; s < steps.size(); s++) {
        String p = "phases[" + i + "].steps[" + s + "]";
        Step step = steps.get(s);
        if (step instanceof Step.Backup b && b.database() != null) {
          backedUp.add(b.database());
        } else if (step instanceof Step.Migrate m) {
          migrate(c, m, p, backedUp, traffic, steps.subList(s + 1, steps.size()));
          if (m.phase() == MigrationPhase.BREAKING) breaking.add(m.database());
        } else if (step instanceof Step.ShiftTraffic t && t.router() != null) {
          Double before = traffic.put(t.router(), t.percent());
          if (before != null && t.percent() < before) {
            c.problem(p + ".percent", "traffic on router '" + t.router() + "' goes down from "
                + CheckContext.number(before) + " to " + CheckContext.number(t.percent())
                + "; a rollout only moves traffic up (put decreases in the phase's rollback steps)");
          }
        }
      }
    }
    restoreWithoutBreakingMigration(c, breaking);
  }

  /**
   * {@code onRollback: restore} restores the backup a breaking migration's undo names; an expand
   * migration's undo is nothing and a contract's restore is always a person's decision, so on a
   * database no breaking migration touches it would promise a restore that never happens.
   */
  private static void restoreWithoutBreakingMigration(CheckContext c, Set<String> breaking) {
    c.plan.resources().databases().forEach((name, db) -> {
      if (db == null || db.onRollback() != DatabaseRestore.RESTORE || breaking.contains(name)) return;
      c.problem(PlanPaths.field(PlanPaths.field("resources.databases", name), "onRollback"),
          "restore never applies: no step migrates database '" + name + "' with phase: breaking (an expand"
              + " migration is never undone; after a contract a person decides); use decide, or make the"
              + " migration breaking");
    });
  }

  private static void migrate(CheckContext c, Step.Migrate m, String p, Set<String> backedUp,
      Map<String, Double> traffic, List<Step> laterInPhase) {
    if (m.database() != null && !backedUp.contains(m.database())) {
      c.problem(p + ".database", "no backup of database '" + m.database() + "' earlier in the plan; "
          + (m.phase() == MigrationPhase.BREAKING ? "a breaking migration is undone by restoring it: " : "")
          + "add a backup step before this migration");
    }
    if (m.phase() != MigrationPhase.CONTRACT) return;
    for (var level : traffic.entrySet()) {
      if (level.getValue() < 100) {
        c.problem(p + ".phase", "contract migration while router '" + level.getKey() + "' sends "
            + CheckContext.number(level.getValue()) + "% of traffic; contract only once traffic reaches 100%");
        return;
      }
    }
    for (Step later : laterInPhase) {
      if (later instanceof Step.ShiftTraffic t) {
        c.problem(p + ".phase", "contract migration before the traffic shift to router '" + t.router()
            + "' in the same phase; contract only once traffic reaches 100%");
        return;
      }
    }
  }
}
