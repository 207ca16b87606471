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
    Walk walk = new Walk(c);
    List<Phase> phases = c.plan.phases();
    for (int i = 0; i < phases.size(); i++) {
      if (phases.get(i) == null) continue;
      List<Step> steps = phases.get(i).steps();
      for (int s = 0; s < steps.size(); s++) {
        if (steps.get(s) == null) continue;   // StepChecks reports it
        walk.at("phases[" + i + "].steps[" + s + "]", steps.subList(s + 1, steps.size()));
        steps.get(s).accept(walk);
      }
    }
    restoreWithoutBreakingMigration(c, walk.breaking);
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

  /**
   * What each kind means for the order: backups and traffic shifts are remembered, migrations
   * checked against them; a new kind does not compile until it says which it is.
   */
  private static final class Walk implements StepVisitor<Void> {
    private final CheckContext c;
    private final Set<String> backedUp = new HashSet<>();
    private final Map<String, Double> traffic = new LinkedHashMap<>();
    /** Databases a breaking migration touches: where {@code onRollback: restore} can apply. */
    private final Set<String> breaking = new HashSet<>();
    private String p;
    private List<Step> laterInPhase;

    Walk(CheckContext c) {
      this.c = c;
    }

    void at(String path, List<Step> later) {
      this.p = path;
      this.laterInPhase = later;
    }

    @Override
    public Void backup(Step.Backup b) {
      if (b.database() != null) backedUp.add(b.database());
      return null;
    }

    @Override
    public Void migrate(Step.Migrate m) {
      OrderChecks.migrate(c, m, p, backedUp, traffic, laterInPhase);
      if (m.phase() == MigrationPhase.BREAKING) breaking.add(m.database());
      return null;
    }

    @Override
    public Void traffic(Step.ShiftTraffic t) {
      if (t.router() == null) return null;
      Double before = traffic.put(t.router(), t.percent());
      if (before != null && t.percent() < before) {
        c.problem(p + ".percent", "traffic on router '" + t.router() + "' goes down from "
            + CheckContext.number(before) + " to " + CheckContext.number(t.percent())
            + "; a rollout only moves traffic up (put decreases in the phase's rollback steps)");
      }
      return null;
    }

    @Override
    public Void flags(Step.SetFlags step) {
      return null;
    }

    @Override
    public Void deploy(Step.Deploy step) {
      return null;
    }

    @Override
    public Void scale(Step.Scale step) {
      return null;
    }

    @Override
    public Void env(Step.SetEnv step) {
      return null;
    }

    @Override
    public Void health(Step.HealthCheck step) {
      return null;
    }

    @Override
    public Void bake(Step.Bake step) {
      return null;
    }

    @Override
    public Void notify(Step.Notify step) {
      return null;
    }

    @Override
    public Void checklist(Step.Checklist step) {
      return null;
    }

    @Override
    public Void run(Step.Run step) {
      return null;
    }

    @Override
    public Void http(Step.Http step) {
      return null;
    }
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
      Step.ShiftTraffic t = later == null ? null : later.accept(TRAFFIC_SHIFT);
      if (t != null) {
        c.problem(p + ".phase", "contract migration before the traffic shift to router '" + t.router()
            + "' in the same phase; contract only once traffic reaches 100%");
        return;
      }
    }
  }

  /** The step as a traffic shift, or null; a new kind that moves traffic must say so here. */
  private static final StepVisitor<Step.ShiftTraffic> TRAFFIC_SHIFT = new StepVisitor<>() {
    @Override
    public Step.ShiftTraffic backup(Step.Backup step) {
      return null;
    }

    @Override
    public Step.ShiftTraffic migrate(Step.Migrate step) {
      return null;
    }

    @Override
    public Step.ShiftTraffic traffic(Step.ShiftTraffic step) {
      return step;
    }

    @Override
    public Step.ShiftTraffic flags(Step.SetFlags step) {
      return null;
    }

    @Override
    public Step.ShiftTraffic deploy(Step.Deploy step) {
      return null;
    }

    @Override
    public Step.ShiftTraffic scale(Step.Scale step) {
      return null;
    }

    @Override
    public Step.ShiftTraffic env(Step.SetEnv step) {
      return null;
    }

    @Override
    public Step.ShiftTraffic health(Step.HealthCheck step) {
      return null;
    }

    @Override
    public Step.ShiftTraffic bake(Step.Bake step) {
      return null;
    }

    @Override
    public Step.ShiftTraffic notify(Step.Notify step) {
      return null;
    }

    @Override
    public Step.ShiftTraffic checklist(Step.Checklist step) {
      return null;
    }

    @Override
    public Step.ShiftTraffic run(Step.Run step) {
      return null;
    }

    @Override
    public Step.ShiftTraffic http(Step.Http step) {
      return null;
    }
  };
}
