package dev.rollout.rehearsal;

import dev.rollout.activities.DatabaseActivities.BackupRecord;
import dev.rollout.activities.DeployActivities.WorkloadState;
import dev.rollout.rehearsal.Scenario.CallRule;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.ToIntFunction;

/**
 * The pretend world a rehearsal changes: traffic weights, flag values, workloads, database versions
 * and backups, and the log of every call in order. The recording activities share one world, so a
 * rollback is observable (the weight is back to 0, the database back at its old version).
 */
public final class RehearsalWorld {
  private final Scenario scenario;
  private final List<Call> calls = new ArrayList<>();
  private final Map<String, Integer> invocations = new HashMap<>();
  private final Map<String, Integer> invocationOf = new HashMap<>();
  final Map<String, Double> weights = new ConcurrentHashMap<>();
  final Map<String, Map<String, Object>> flags = new ConcurrentHashMap<>();
  final Map<String, WorkloadState> workloads = new ConcurrentHashMap<>();
  final Map<String, String> dbVersions = new ConcurrentHashMap<>();
  final Map<String, String> backupVersions = new ConcurrentHashMap<>();
  private volatile List<String> phaseNames = List.of();
  private volatile ToIntFunction<String> phaseIndexOf = id -> -1;
  private volatile Instant startedAt = Instant.EPOCH;

  public RehearsalWorld(Scenario scenario) {
    this.scenario = scenario;
  }

  public Scenario scenario() {
    return scenario;
  }

  /**
   * How the metric fakes learn where a rollout is: the plan's phase names, the index of the
   * phase a workflow id is in now (the runner asks the workflow), and when it started.
   */
  public void follow(List<String> phases, ToIntFunction<String> phaseIndex, Instant start) {
    this.phaseNames = List.copyOf(phases);
    this.phaseIndexOf = phaseIndex;
    this.startedAt = start;
  }

  /** The index of the phase workflow {@code workflowId} is in now (asks the workflow). */
  int phaseOf(String workflowId) {
    return phaseIndexOf.applyAsInt(workflowId);
  }

  /**
   * The scripted value of {@code metric} at {@code at}, or null when none is scripted; {@code phase}
   * (the rollout's phase index now) is asked only when a rule starts at a phase.
   */
  Scenario.MetricRule ruleFor(String metric, Instant at, IntSupplier phase) {
    Scenario.MetricRule found = null;
    for (Scenario.MetricRule rule : scenario.metrics()) {
      if (!rule.metric().equals(metric)) continue;
      // A rule with no offset holds always, also for the samples of a window reaching back before the start.
      if (!rule.afterDuration().isZero() && at.isBefore(startedAt.plus(rule.afterDuration()))) continue;
      if (rule.fromPhase() != null) {
        int from = phaseNames.indexOf(rule.fromPhase());
        if (from < 0 || phase.getAsInt() < from) continue;
      }
      found = rule;
    }
    return found;
  }

  /**
   * The rule the stable track keeps for {@code metric}: the last one that applies from the start
   * (no phase, no offset), or null. A rehearsal's later rules model the canary.
   */
  Scenario.MetricRule stableRuleFor(String metric) {
    Scenario.MetricRule found = null;
    for (Scenario.MetricRule rule : scenario.metrics()) {
      if (rule.metric().equals(metric) && rule.fromPhase() == null && rule.afterDuration().isZero()) found = rule;
    }
    return found;
  }

  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Sets up the live state before a rollout starts: the canary's weight on a router. */
  public void presetWeight(String router, double percent) {
    weights.put(router, percent);
  }

  /** Sets up the live state before a rollout starts: a database's schema version. */
  public void presetDatabase(String database, String version) {
    dbVersions.put(database, version);
  }

  public double weight(String router) {
    return weights.getOrDefault(router, 0.0);
  }

  public Map<String, Object> flags(String store) {
    return new LinkedHashMap<>(flags.getOrDefault(store, Map.of()));
  }

  public WorkloadState workload(String name) {
    return workloads.computeIfAbsent(name, n -> new WorkloadState(n + ":stable", 2, Map.of(), null, true));
  }

  public String dbVersion(String database) {
    return dbVersions.getOrDefault(database, "v0");
  }

  /** A backup taken at {@code at} (the rehearsal's clock), so a status can say what a restore loses. */
  BackupRecord backupOf(String database, String location, Instant at) {
    backupVersions.put(location, dbVersion(database));
    return new BackupRecord(database, location, 1024, Integer.toHexString(location.hashCode()), at, 0, null, null);
  }

  /**
   * Records a call and applies the scenario: throws the scripted failure, or hangs (heartbeating)
   * until the workflow cancels the call. Call it first in every recording activity.
   */
  void record(String activity, String method, String args) {
    record(activity, method, null, args);
  }

  /** {@link #record(String, String, String)} of a call that acts on {@code subject} (a router, a workload, ...). */
  void record(String activity, String method, String subject, String args) {
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    Instant at = Instant.ofEpochMilli(info.getCurrentAttemptScheduledTimestamp());
    String invocation = info.getWorkflowId() + "/" + info.getActivityId();
    CallRule failure;
    CallRule hang;
    synchronized (this) {
      int n = invocationOf.computeIfAbsent(invocation, k -> invocations.merge(activity + "." + method, 1, Integer::sum));
      failure = match(scenario.failures(), activity, method, n, args);
      if (failure != null && failure.outageDuration() != null
          && info.getCurrentAttemptScheduledTimestamp() - info.getScheduledTimestamp() >= failure.outageDuration().toMillis()) {
        failure = null;
      }
      hang = match(scenario.hangs(), activity, method, n, args);
      calls.add(new Call(activity, method, subject, args, at, info.getAttempt(), failure == null ? null : message(failure)));
    }
    if (failure != null) {
      String type = failure.type() == null ? "RehearsalFailure" : failure.type();
      if (Boolean.TRUE.equals(failure.nonRetryable())) {
        throw ApplicationFailure.newNonRetryableFailure(message(failure), type);
      }
      throw ApplicationFailure.newFailure(message(failure), type);
    }
    if (hang != null) hangUntilCancelled();
  }

  private static CallRule match(List<CallRule> rules, String activity, String method, int n, String args) {
    for (CallRule r : rules) {
      if (r.activity().equals(activity) && r.method().equals(method) && (r.call() == 0 || r.call() == n)
          && (r.argsContain() == null || args.contains(r.argsContain()))) {
        return r;
      }
    }
    return null;
  }

  private static String message(CallRule r) {
    return r.message() == null ? "scripted failure of " + r.activity() + "." + r.method() : r.message();
  }

  /** Heartbeats until the workflow cancels this call (at most a minute of real time). */
  private static void hangUntilCancelled() {
    long until = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < until) {
      Activity.getExecutionContext().heartbeat(null);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw ApplicationFailure.newFailure("hung call was never cancelled", "RehearsalHang");
  }

}
