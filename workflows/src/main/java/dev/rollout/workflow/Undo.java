package dev.rollout.workflow;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.rollout.activities.DatabaseActivities.BackupRecord;
import dev.rollout.plan.Step;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One undo, as data: what puts one thing back. Kept in the workflow's state, shown in the status,
 * retried or skipped by people by its entry's id, and run by {@link UndoRunner} (the one place that
 * maps an undo to its activity call). Every undo is an absolute, idempotent call.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Undo.RunStep.class, name = "rollback-step"),
  @JsonSubTypes.Type(value = Undo.TrafficToStable.class, name = "traffic-to-stable"),
  @JsonSubTypes.Type(value = Undo.SetWeight.class, name = "set-weight"),
  @JsonSubTypes.Type(value = Undo.SetFlags.class, name = "set-flags"),
  @JsonSubTypes.Type(value = Undo.SetImage.class, name = "set-image"),
  @JsonSubTypes.Type(value = Undo.Scale.class, name = "scale"),
  @JsonSubTypes.Type(value = Undo.SetEnv.class, name = "set-env"),
  @JsonSubTypes.Type(value = Undo.RestoreBackup.class, name = "restore-backup"),
  @JsonSubTypes.Type(value = Undo.KeepExpandedSchema.class, name = "keep-expanded-schema"),
  @JsonSubTypes.Type(value = Undo.RunCommand.class, name = "run-command"),
  @JsonSubTypes.Type(value = Undo.HttpCall.class, name = "http-call"),
})
public sealed interface Undo {

  /** The order a rollback runs undos in: stop the bleeding first, touch data last. */
  enum Group {
    /** The plan's emergency steps and the phases' explicit rollback steps. */
    ROLLBACK_STEPS,
    TRAFFIC_AND_FLAGS,
    /** Image, replicas, environment. */
    WORKLOADS,
    DATABASES
  }

  /** What it acts on: undos of one resource run in order; a failed one holds back only those. */
  String resource();

  Group group();

  /** For people: "traffic on main back to stable (0% to the canary)". */
  String describe();

  <R> R accept(Visitor<R> visitor);

  interface Visitor<R> {
    R runStep(RunStep u);

    R trafficToStable(TrafficToStable u);

    R setWeight(SetWeight u);

    R setFlags(SetFlags u);

    R setImage(SetImage u);

    R scale(Scale u);

    R setEnv(SetEnv u);

    R restoreBackup(RestoreBackup u);

    R keepExpandedSchema(KeepExpandedSchema u);

    R runCommand(RunCommand u);

    R httpCall(HttpCall u);
  }

  /** A step the plan names for a rollback (plan-wide emergency steps, a phase's {@code rollback}). */
  record RunStep(Step step, String key) implements Undo {
    public String resource() { return "step:" + key; }
    public Group group() { return Group.ROLLBACK_STEPS; }
    public String describe() { return "rollback step: " + Steps.label(step); }
    public <R> R accept(Visitor<R> v) { return v.runStep(this); }
  }

  /** All traffic back to the stable version: 0 % to the canary, whatever it was at the start. */
  record TrafficToStable(String router) implements Undo {
    public String resource() { return "router:" + router; }
    public Group group() { return Group.TRAFFIC_AND_FLAGS; }
    public String describe() { return "traffic on " + router + " back to stable (0% to the canary)"; }
    public <R> R accept(Visitor<R> v) { return v.trafficToStable(this); }
  }

  /** Rollouts started before traffic went back to stable: the weight read before the shift. */
  record SetWeight(String router, double percent) implements Undo {
    public String resource() { return "router:" + router; }
    public Group group() { return Group.TRAFFIC_AND_FLAGS; }
    public String describe() { return "traffic on " + router + " back to " + Steps.percent(percent); }
    public <R> R accept(Visitor<R> v) { return v.setWeight(this); }
  }

  /** Flags back to the plan's rollback values, else to their values when the rollout started. */
  record SetFlags(String store, Map<String, Object> values) implements Undo {
    public SetFlags {
      values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
    public String resource() { return "flags:" + store; }
    public Group group() { return Group.TRAFFIC_AND_FLAGS; }
    public String describe() { return "flags in " + store + " back to " + values; }
    public <R> R accept(Visitor<R> v) { return v.setFlags(this); }
  }

  /** The image recorded as stable when the rollout first touched the workload. */
  record SetImage(String workload, String image) implements Undo {
    public String resource() { return "workload:" + workload; }
    public Group group() { return Group.WORKLOADS; }
    public String describe() { return "deploy " + image + " to " + workload + " again"; }
    public <R> R accept(Visitor<R> v) { return v.setImage(this); }
  }

  record Scale(String workload, int replicas) implements Undo {
    public String resource() { return "workload:" + workload; }
    public Group group() { return Group.WORKLOADS; }
    public String describe() { return "scale " + workload + " back to " + replicas; }
    public <R> R accept(Visitor<R> v) { return v.scale(this); }
  }

  /** Variables the workload did not have are restored as null, which removes them. */
  record SetEnv(String workload, Map<String, String> env) implements Undo {
    public SetEnv {
      env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }
    public String resource() { return "workload:" + workload; }
    public Group group() { return Group.WORKLOADS; }
    public String describe() { return "env of " + workload + " back to " + env; }
    public <R> R accept(Visitor<R> v) { return v.setEnv(this); }
  }

  /**
   * Restores a verified backup: every write made since {@code takenAt} is lost, so it runs only
   * when the plan says {@code onRollback: restore} or a person decides it.
   *
   * @param takenAt when the backup finished (workflow time); null for rollouts started before it was kept
   */
  record RestoreBackup(String database, BackupRecord backup, Instant takenAt) implements Undo {
    public String resource() { return "database:" + database; }
    public Group group() { return Group.DATABASES; }
    public String describe() {
      return "restore " + database + " from " + backup.location()
          + (takenAt == null ? "" : " (taken " + takenAt + "; every write since then is lost)");
    }
    public <R> R accept(Visitor<R> v) { return v.restoreBackup(this); }
  }

  /** An expand migration is backward compatible: its undo is nothing, the schema stays expanded. */
  record KeepExpandedSchema(String database, String version) implements Undo {
    public String resource() { return "database:" + database; }
    public Group group() { return Group.DATABASES; }
    public String describe() {
      return "nothing to undo for " + database + ": the expand migration to " + version
          + " is backward compatible, the schema stays expanded";
    }
    public <R> R accept(Visitor<R> v) { return v.keepExpandedSchema(this); }
  }

  /**
   * The undo a {@code run} step names: another allowed command or Job, run under its own key (the
   * step's key + "u") so that a retry does not run it twice. Runbook undos (kill switches, flag
   * scripts) run with traffic and flags, in reverse order with them, ahead of workloads and data.
   */
  record RunCommand(String key, String label, Step.Run.Undo undo, java.time.Duration timeout) implements Undo {
    public String resource() { return "runbook:" + key; }
    public Group group() { return Group.TRAFFIC_AND_FLAGS; }
    public String describe() {
      return "undo of " + label + ": " + (undo.command() != null ? "command " + undo.command() : "job " + undo.job().image());
    }
    public <R> R accept(Visitor<R> v) { return v.runCommand(this); }
  }

  /** The undo call an {@code http} step names, sent with the step's secret header (by name only). */
  record HttpCall(String key, String label, Step.Http.Call call, Step.Http.SecretHeader secretHeader,
      java.time.Duration timeout) implements Undo {
    public String resource() { return "runbook:" + key; }
    public Group group() { return Group.TRAFFIC_AND_FLAGS; }
    public String describe() { return "undo of " + label + ": " + call.method() + " " + call.url(); }
    public <R> R accept(Visitor<R> v) { return v.httpCall(this); }
  }
}
