package dev.rollout.workflow;

import dev.rollout.activities.DatabaseActivities;
import dev.rollout.activities.DatabaseActivities.BackupRecord;
import dev.rollout.activities.DeployActivities;
import dev.rollout.activities.DeployActivities.WorkloadState;
import dev.rollout.activities.FlagActivities;
import dev.rollout.activities.HealthActivities;
import dev.rollout.activities.HealthActivities.HealthResult;
import dev.rollout.activities.TrafficActivities;
import dev.rollout.plan.Database;
import dev.rollout.plan.FlagStore;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Router;
import dev.rollout.plan.Step;
import dev.rollout.plan.Workload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the steps that change the world. Each reads the state it is about to change and pushes
 * the call that restores it BEFORE changing anything, so a step that fails half-way is undone too.
 * Rollback steps (a phase's explicit {@code rollback} list) run the same way without pushing.
 */
final class StepRunner {
  private final Plan plan;
  private final String rolloutId;
  private final CompensationStack stack;
  /** The verified backup of each database, by an earlier backup step: what a migration undoes to. */
  private final Map<String, BackupRecord> backups = new HashMap<>();
  private final RunbookSteps runbook;

  StepRunner(Plan plan, String rolloutId, CompensationStack stack) {
    this.plan = plan;
    this.rolloutId = rolloutId;
    this.stack = stack;
    this.runbook = new RunbookSteps(rolloutId, stack);
  }

  /** Runs a change; pushes its compensation first when {@code phase >= 0} (not for rollback steps). */
  void change(int phase, String key, Step step) {
    String label = Steps.label(step);
    boolean undo = phase >= 0;
    if (step instanceof Step.Backup b) {
      backup(key, b, label);
    } else if (step instanceof Step.Migrate m) {
      migrate(phase, m, label, undo);
    } else if (step instanceof Step.ShiftTraffic t) {
      Router spec = plan.resources().routers().get(t.router());
      if (undo) {
        double before = stub(TrafficActivities.class, "read weight of " + t.router())
            .currentWeight(rolloutId, t.router(), spec);
        String what = "traffic on " + t.router() + " back to " + Steps.percent(before);
        stack.push(phase, what, () ->
            ActivityStubs.undo(TrafficActivities.class, what).setWeight(rolloutId, t.router(), spec, before));
      }
      stub(TrafficActivities.class, label).setWeight(rolloutId, t.router(), spec, t.percent());
    } else if (step instanceof Step.SetFlags f) {
      FlagStore spec = plan.resources().flagStores().get(f.store());
      if (undo) {
        Map<String, Object> before = new LinkedHashMap<>(stub(FlagActivities.class, "read flags in " + f.store())
            .readFlags(rolloutId, f.store(), spec, new ArrayList<>(f.values().keySet())));
        String what = "flags in " + f.store() + " back to " + before;
        stack.push(phase, what, () ->
            ActivityStubs.undo(FlagActivities.class, what).setFlags(rolloutId, f.store(), spec, before));
      }
      stub(FlagActivities.class, label).setFlags(rolloutId, f.store(), spec, f.values());
    } else if (step instanceof Step.Deploy d) {
      Workload w = plan.resources().workloads().get(d.workload());
      if (undo) {
        String image = current(d.workload(), w).image();
        String what = "deploy " + image + " to " + d.workload() + " again";
        stack.push(phase, what, () -> waiting(what).setImage(rolloutId, d.workload(), w, image));
      }
      waiting(label).setImage(rolloutId, d.workload(), w, d.image());
    } else if (step instanceof Step.Scale s) {
      Workload w = plan.resources().workloads().get(s.workload());
      if (undo) {
        int before = current(s.workload(), w).replicas();
        String what = "scale " + s.workload() + " back to " + before;
        stack.push(phase, what, () -> waiting(what).scale(rolloutId, s.workload(), w, before));
      }
      waiting(label).scale(rolloutId, s.workload(), w, s.replicas());
    } else if (step instanceof Step.SetEnv e) {
      setEnv(phase, e, label, undo);
    } else if (step instanceof Step.HealthCheck h) {
      HealthResult result = ActivityStubs.longRunning(HealthActivities.class, label, h.timeout())
          .probe(h.url(), h.expectStatus(), h.failureThreshold(), h.interval(), h.timeout());
      if (!result.healthy()) {
        throw new RollbackRequested("step failed", label + ": unhealthy after " + result.probes()
            + " probe(s), last status " + result.lastStatus() + " (" + result.detail() + ")");
      }
    } else if (step instanceof Step.Run run) {
      runbook.run(phase, key, run, label);
    } else if (step instanceof Step.Http http) {
      runbook.http(phase, key, http, label);
    } else {
      throw new IllegalArgumentException("not a change: " + step);
    }
  }

  private void backup(String key, Step.Backup b, String label) {
    Database db = plan.resources().databases().get(b.database());
    backups.put(b.database(), stub(DatabaseActivities.class, label).backup(rolloutId, key, b.database(), db));
  }

  /** A migration is undone by restoring the verified backup taken earlier; without one it never runs. */
  private void migrate(int phase, Step.Migrate m, String label, boolean undo) {
    Database db = plan.resources().databases().get(m.database());
    BackupRecord backup = backups.get(m.database());
    if (undo) {
      if (backup == null) {
        throw new RollbackRequested("step failed",
            label + ": no verified backup of database '" + m.database() + "' was taken before it");
      }
      String what = "restore " + m.database() + " from " + backup.location();
      stack.push(phase, what, () ->
          ActivityStubs.undo(DatabaseActivities.class, what).restore(rolloutId, m.database(), db, backup));
    }
    stub(DatabaseActivities.class, label).migrate(rolloutId, m.database(), db, m.phase(), m.targetVersion());
  }

  /** Variables the workload did not have are restored as null, which removes them. */
  private void setEnv(int phase, Step.SetEnv e, String label, boolean undo) {
    Workload w = plan.resources().workloads().get(e.workload());
    if (undo) {
      Map<String, String> now = current(e.workload(), w).env();
      Map<String, String> before = new LinkedHashMap<>();
      e.env().keySet().forEach(k -> before.put(k, now == null ? null : now.get(k)));
      String what = "env of " + e.workload() + " back to " + before;
      stack.push(phase, what, () ->
          ActivityStubs.undo(DeployActivities.class, what).setEnv(rolloutId, e.workload(), w, before));
    }
    stub(DeployActivities.class, label).setEnv(rolloutId, e.workload(), w, e.env());
  }

  private WorkloadState current(String name, Workload w) {
    return stub(DeployActivities.class, "read " + name).current(rolloutId, name, w);
  }

  private static <T> T stub(Class<T> type, String summary) {
    return ActivityStubs.step(type, summary);
  }

  /** Deploy and scale wait (heartbeating) until the workload is ready. */
  private static DeployActivities waiting(String summary) {
    return ActivityStubs.longRunning(DeployActivities.class, summary, Steps.READY);
  }
}
