package dev.rollout.workflow;

import dev.rollout.activities.DatabaseActivities;
import dev.rollout.activities.DatabaseActivities.BackupRecord;
import dev.rollout.activities.DatabaseActivities.MigrationResult;
import dev.rollout.activities.DeployActivities;
import dev.rollout.activities.DeployActivities.WorkloadState;
import dev.rollout.activities.FlagActivities;
import dev.rollout.activities.HealthActivities;
import dev.rollout.activities.HealthActivities.HealthResult;
import dev.rollout.activities.TrafficActivities;
import dev.rollout.plan.Database;
import dev.rollout.plan.FlagStore;
import dev.rollout.plan.MigrationPhase;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Router;
import dev.rollout.plan.Step;
import dev.rollout.plan.StepVisitor;
import dev.rollout.plan.Workload;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the steps that change the world, one handler per kind (chosen by {@link Step#accept}, so a
 * new kind does not compile until it is handled here). Each handler registers the undo of its
 * change BEFORE changing anything, so a step that fails half-way is undone too. Rollback steps
 * (the plan's and a phase's explicit {@code rollback} lists) run the same way without registering.
 *
 * <p>Since {@value Changes#SAFE_ROLLBACK} an undo goes back to the state recorded when the rollout
 * first touched a thing (traffic: all on stable), not to "whatever it was before this step".
 */
final class StepRunner {
  private final Plan plan;
  private final String rolloutId;
  private final CompensationStack stack;
  /** The verified backup of each database, by an earlier backup step: what a migration undoes to. */
  private final Map<String, BackupRecord> backups = new HashMap<>();
  private final Map<String, Instant> backupTakenAt = new HashMap<>();
  /** Databases whose contract migration ran (or started): no automatic restore any more. */
  private final Set<String> contracted = new LinkedHashSet<>();
  /** The phase (0-based; -1 for a rollback step) whose step contracted each database first. */
  private final Map<String, Integer> contractedIn = new LinkedHashMap<>();
  /** What each workload ran, and each flag held, when the rollout first touched it. */
  private final Map<String, WorkloadState> stableWorkloads = new HashMap<>();
  private final Map<String, Map<String, Object>> startFlags = new HashMap<>();

  private boolean changedAnything;
  /** Migrations that found the database at their target already: they registered no undo. */
  private final List<String> migrationsThatChangedNothing = new ArrayList<>();
  private final RunbookSteps runbook;

  StepRunner(Plan plan, String rolloutId, CompensationStack stack) {
    this.plan = plan;
    this.rolloutId = rolloutId;
    this.stack = stack;
    this.runbook = new RunbookSteps(rolloutId, stack);
  }

  Set<String> contracted() {
    return contracted;
  }

  /** The phase (0-based; -1 for a rollback step) whose contract migration of each database ran first. */
  Map<String, Integer> contractedIn() {
    return contractedIn;
  }

  /**
   * A recovery's runner takes over which databases a terminated run contracted, and in which phase
   * (what holds a restore or the whole rollback for people).
   */
  void recallContracted(Map<String, Integer> byDatabase) {
    byDatabase.forEach((database, phase) -> {
      contracted.add(database);
      contractedIn.putIfAbsent(database, phase);
    });
  }

  /** Every verified backup this rollout took (released when it ends). */
  List<BackupRecord> backups() {
    return List.copyOf(backups.values());
  }

  /** Takes the labels of migrations that changed nothing since the last call (for the decision log). */
  List<String> takeUnchangedMigrations() {
    List<String> out = List.copyOf(migrationsThatChangedNothing);
    migrationsThatChangedNothing.clear();
    return out;
  }

  /** Records what a workload ran before the rollout changed anything: every undo returns to it. */
  void recordStable(String workload, WorkloadState state) {
    stableWorkloads.put(workload, state);
  }

  /** Records a flag store's values before the rollout changed anything (null: the flag was unset). */
  void recordStartFlags(String store, Map<String, Object> values) {
    Map<String, Object> known = startFlags.computeIfAbsent(store, s -> new LinkedHashMap<>());
    values.forEach(known::putIfAbsent);
  }

  /** True once the rollout ran (or started) its first change. */
  boolean changedAnything() {
    return changedAnything;
  }

  /**
   * Since version 1: a migration that failed without changing anything (its failure's type is one
   * of {@link DatabaseActivities#MIGRATION_CHANGED_NOTHING}) drops the undo it registered, as one
   * already at its target does: the rollback restored the backup anyway and lost every write since.
   */
  static final String FAILED_MIGRATION_NO_UNDO = "failed-migration-no-undo";

  private static boolean changedNothing(ActivityFailure failed) {
    return failed.getCause() instanceof ApplicationFailure app
        && DatabaseActivities.MIGRATION_CHANGED_NOTHING.contains(app.getType());
  }

  /** Runs a change; registers its undo first when {@code phase >= 0} (not for rollback steps). */
  void change(int phase, String key, Step step) {
    changedAnything = true;
    step.accept(new Handlers(phase, key, Steps.label(step)));
  }

  /** One handler per kind; {@code undo} is false for rollback steps. */
  private final class Handlers implements StepVisitor<Void> {
    private final int phase;
    private final String key;
    private final String label;
    private final boolean undo;
    private final boolean safe = Changes.current().safeRollback();

    Handlers(int phase, String key, String label) {
      this.phase = phase;
      this.key = key;
      this.label = label;
      this.undo = phase >= 0;
    }

    @Override
    public Void backup(Step.Backup b) {
      Database db = plan.resources().databases().get(b.database());
      backups.put(b.database(), stub(DatabaseActivities.class, label).backup(rolloutId, key, b.database(), db));
      backupTakenAt.put(b.database(), StatusBoard.now());
      return null;
    }

    /**
     * A migration is undone by restoring the verified backup taken earlier; without one it never
     * runs. Since {@value Changes#SAFE_ROLLBACK}: an expand migration's undo is nothing (the old
     * version runs on the expanded schema, and a restore would lose every write since the backup);
     * after a contract migration no restore runs on its own. A breaking migration (and one with no
     * phase, as stored histories have) registers the restore: {@link Rollback} runs it when the
     * database says {@code onRollback: restore}, else it waits for a person.
     */
    @Override
    public Void migrate(Step.Migrate m) {
      Database db = plan.resources().databases().get(m.database());
      BackupRecord backup = backups.get(m.database());
      String id = null;
      if (undo && safe && m.phase() == MigrationPhase.EXPAND) {
        id = stack.push(phase, new Undo.KeepExpandedSchema(m.database(), m.targetVersion()));
      } else if (undo) {
        if (backup == null) {
          String why = label + ": no verified backup of database '" + m.database() + "' was taken before it";
          if (safe) throw new StepFailed(why);
          throw new RollbackRequested("step failed", why);
        }
        Instant takenAt = backup.createdAt() != null ? backup.createdAt() : backupTakenAt.get(m.database());
        id = stack.push(phase, new Undo.RestoreBackup(m.database(), backup, safe ? takenAt : null));
      }
      if (safe && m.phase() == MigrationPhase.CONTRACT) {
        contracted.add(m.database());
        contractedIn.putIfAbsent(m.database(), phase);
      }
      MigrationResult result;
      try {
        result = stub(DatabaseActivities.class, label).migrate(rolloutId, m.database(), db, m.phase(), m.targetVersion());
      } catch (ActivityFailure failed) {
        if (safe && id != null && changedNothing(failed) && Changes.since(FAILED_MIGRATION_NO_UNDO)) {
          // Refused, or rolled back with none of its migrations kept: the database is as it was,
          // and a restore (on its own with onRollback: restore) would only lose the writes since the backup.
          stack.discard(id);
          migrationsThatChangedNothing.add(label + " (failed before changing anything)");
        }
        throw failed;
      }
      if (safe && id != null && !result.changed()) {
        // Already at the target: there is nothing of this rollout's to undo, and a restore would
        // only lose the writes made since the backup.
        stack.discard(id);
        migrationsThatChangedNothing.add(label + " (already at " + result.toVersion() + ")");
      }
      return null;
    }

    @Override
    public Void traffic(Step.ShiftTraffic t) {
      Router spec = plan.resources().routers().get(t.router());
      if (undo && safe) {
        stack.pushOnce(phase, new Undo.TrafficToStable(t.router()));
      } else if (undo) {
        double before = stub(TrafficActivities.class, "read weight of " + t.router())
            .currentWeight(rolloutId, t.router(), spec);
        stack.push(phase, new Undo.SetWeight(t.router(), before));
      }
      stub(TrafficActivities.class, label).setWeight(rolloutId, t.router(), spec, t.percent());
      return null;
    }

    @Override
    public Void flags(Step.SetFlags f) {
      FlagStore spec = plan.resources().flagStores().get(f.store());
      if (undo) {
        Map<String, Object> known = startFlags.computeIfAbsent(f.store(), s -> new LinkedHashMap<>());
        List<String> unread = f.values().keySet().stream().filter(k -> !safe || !known.containsKey(k)).toList();
        Map<String, Object> read = unread.isEmpty() ? Map.of()
            : stub(FlagActivities.class, "read flags in " + f.store())
                .readFlags(rolloutId, f.store(), spec, new ArrayList<>(unread));
        Map<String, Object> back = new LinkedHashMap<>();
        for (String k : f.values().keySet()) {
          if (!safe) {
            back.put(k, read.get(k));
            continue;
          }
          if (!known.containsKey(k)) known.put(k, read.get(k));
          back.put(k, f.rollbackValues().containsKey(k) ? f.rollbackValues().get(k) : known.get(k));
        }
        stack.push(phase, new Undo.SetFlags(f.store(), back));
      }
      stub(FlagActivities.class, label).setFlags(rolloutId, f.store(), spec, f.values());
      return null;
    }

    @Override
    public Void deploy(Step.Deploy d) {
      Workload w = plan.resources().workloads().get(d.workload());
      if (undo) stack.push(phase, new Undo.SetImage(d.workload(), stable(d.workload(), w).image()));
      waiting(label).setImage(rolloutId, d.workload(), w, d.image());
      return null;
    }

    @Override
    public Void scale(Step.Scale s) {
      Workload w = plan.resources().workloads().get(s.workload());
      if (undo) stack.push(phase, new Undo.Scale(s.workload(), stable(s.workload(), w).replicas()));
      waiting(label).scale(rolloutId, s.workload(), w, s.replicas());
      return null;
    }

    @Override
    public Void env(Step.SetEnv e) {
      Workload w = plan.resources().workloads().get(e.workload());
      if (undo) {
        Map<String, String> was = stable(e.workload(), w).env();
        Map<String, String> before = new LinkedHashMap<>();
        e.env().keySet().forEach(k -> before.put(k, was == null ? null : was.get(k)));
        stack.push(phase, new Undo.SetEnv(e.workload(), before));
      }
      stub(DeployActivities.class, label).setEnv(rolloutId, e.workload(), w, e.env());
      return null;
    }

    @Override
    public Void health(Step.HealthCheck h) {
      HealthResult result = ActivityStubs.longRunning(HealthActivities.class, label, h.timeout())
          .probe(h.url(), h.expectStatus(), h.failureThreshold(), h.interval(), h.timeout());
      if (!result.healthy()) {
        String why = label + ": unhealthy after " + result.probes() + " probe(s), last status "
            + result.lastStatus() + " (" + result.detail() + ")";
        if (safe) throw new StepFailed(why);
        throw new RollbackRequested("step failed", why);
      }
      return null;
    }

    /** A runbook command or Job; its undo (when the plan gives one) registered first. */
    @Override
    public Void run(Step.Run run) {
      runbook.run(phase, key, run, label, safe);
      return null;
    }

    /** An admin API call; its undo call (when the plan gives one) registered first. */
    @Override
    public Void http(Step.Http http) {
      runbook.http(phase, key, http, label, safe);
      return null;
    }

    @Override
    public Void bake(Step.Bake step) {
      throw new IllegalArgumentException("not a change: " + label);
    }

    @Override
    public Void notify(Step.Notify step) {
      throw new IllegalArgumentException("not a change: " + label);
    }

    @Override
    public Void checklist(Step.Checklist step) {
      throw new IllegalArgumentException("not a change: " + label);
    }

    /**
     * What the workload ran when the rollout first touched it: every undo goes back to that
     * (rollouts before {@value Changes#SAFE_ROLLBACK}: to what it ran before this step).
     */
    private WorkloadState stable(String name, Workload w) {
      WorkloadState known = safe ? stableWorkloads.get(name) : null;
      if (known != null) return known;
      WorkloadState now = stub(DeployActivities.class, "read " + name).current(rolloutId, name, w);
      if (safe) stableWorkloads.put(name, now);
      return now;
    }
  }

  private static <T> T stub(Class<T> type, String summary) {
    return ActivityStubs.step(type, summary);
  }

  /** Deploy and scale wait (heartbeating) until the workload is ready. */
  private static DeployActivities waiting(String summary) {
    return ActivityStubs.longRunning(DeployActivities.class, summary, Steps.READY);
  }
}
