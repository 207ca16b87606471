package dev.rollout.workflow;

import dev.rollout.activities.DeployActivities;
import dev.rollout.activities.DeployActivities.WorkloadState;
import dev.rollout.activities.FlagActivities;
import dev.rollout.activities.TrafficActivities;
import dev.rollout.plan.FlagStore;
import dev.rollout.plan.Phase;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Router;
import dev.rollout.plan.Severity;
import dev.rollout.plan.Step;
import dev.rollout.plan.StepVisitor;
import dev.rollout.plan.Workload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.temporal.failure.ActivityFailure;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Before the first change: is the target in the state the rollout expects? A rollback sends all
 * traffic back to stable (0 % to the canary), which is right only if the canary carried nothing
 * when the rollout began. A router whose canary already carries traffic (a finished rollout
 * leaves it at 100 %) stops the rollout before it changes anything, unless the router says
 * {@code adoptLiveState: true}.
 */
final class LiveStateCheck {
  private final Plan plan;
  private final String rolloutId;
  private final StepRunner steps;
  private final StatusBoard status;
  private final Notices notices;

  LiveStateCheck(Plan plan, String rolloutId, StepRunner steps, StatusBoard status, Notices notices) {
    this.plan = plan;
    this.rolloutId = rolloutId;
    this.steps = steps;
    this.status = status;
    this.notices = notices;
  }

  /** Thrown before the first change when the target is not as expected; carries the result. */
  static final class StoppedBeforeChange extends RuntimeException {
    private final transient RolloutResult result;

    StoppedBeforeChange(RolloutResult result) {
      super(result.reason(), null, false, false);
      this.result = result;
    }

    RolloutResult result() {
      return result;
    }
  }

  /** Call before each change; checks once, before the first, and throws when the rollout must stop. */
  void beforeFirstChange() {
    if (!Changes.current().safeRollback() || steps.changedAnything()) return;
    RolloutResult stop = stopBeforeChange();
    if (stop != null) throw new StoppedBeforeChange(stop);
  }

  /** Null when the rollout may go on; else its result, nothing changed. */
  RolloutResult stopBeforeChange() {
    Touched touched = new Touched();
    for (Phase phase : plan.phases()) {
      for (Step step : phase.steps()) step.accept(touched);
    }
    RolloutResult stop = routers(touched);
    if (stop != null || !Changes.current().stableAtStart()) return stop;
    stop = workloads(touched);
    return stop != null ? stop : flags(touched);
  }

  private RolloutResult routers(Touched touched) {
    for (String name : touched.routers) {
      Router spec = plan.resources().routers().get(name);
      if (spec == null || spec.adoptsLiveState()) continue;
      double live;
      try {
        live = ActivityStubs.step(TrafficActivities.class, "read weight of " + name)
            .currentWeight(rolloutId, name, spec);
      } catch (ActivityFailure e) {
        return stop("could not read the live weight of router '" + name + "' before the first change: "
            + Failures.rootMessage(e) + "; nothing was changed");
      }
      if (live > 0) {
        return stop("the canary of router '" + name + "' already carries " + Steps.percent(live)
            + " of traffic (a finished or unfinished rollout leaves it so), so a rollback could not tell what"
            + " stable is; nothing was changed. Send all traffic to stable first, or set adoptLiveState: true"
            + " on the router to start from the live split");
      }
    }
    return null;
  }

  /**
   * Since {@value Changes#STABLE_AT_START}: every workload the plan touches is read once, before
   * the first change, and recorded as stable; a rollback returns it there. A Deployment in the
   * middle of a rollout (two revisions live) or already running the image the plan deploys has no
   * clear stable: stop, unless the workload says {@code adoptLiveState: true}.
   */
  private RolloutResult workloads(Touched touched) {
    for (String name : touched.workloads.keySet()) {
      Workload spec = plan.resources().workloads().get(name);
      if (spec == null) continue;
      WorkloadState live;
      try {
        live = ActivityStubs.step(DeployActivities.class, "read " + name).current(rolloutId, name, spec);
      } catch (ActivityFailure e) {
        return stop("could not read workload '" + name + "' before the first change: " + Failures.rootMessage(e)
            + "; nothing was changed");
      }
      String image = touched.workloads.get(name);
      if (!spec.adoptsLiveState()) {
        if (Boolean.FALSE.equals(live.rolledOut())) {
          return stop("Deployment " + spec.namespace() + "/" + spec.deployment() + " (workload '" + name
              + "') is in the middle of a rollout (not every replica runs its current spec " + live.image()
              + "), so a rollback could not tell what stable is; nothing was changed. Let it finish or undo it"
              + " first, or set adoptLiveState: true on the workload to take the live spec as stable");
        }
        if (image != null && image.equals(live.image())) {
          return stop("workload '" + name + "' already runs " + image + ", the image this rollout deploys (a"
              + " finished or unfinished rollout leaves it so), so a rollback could not tell what stable is;"
              + " nothing was changed. Deploy the stable image first, or set adoptLiveState: true on the workload");
        }
      }
      steps.recordStable(name, live);
      status.log("system", "stable of " + name + " recorded: " + live.image()
          + (live.revision() == null ? "" : " (revision " + live.revision() + ")") + ", " + live.replicas() + " replicas",
          "a rollback returns it there");
    }
    return null;
  }

  /**
   * Since {@value Changes#STABLE_AT_START}: every flag the plan sets is read once, before the first
   * change, and recorded as its value to return to (the plan's rollbackValues win). A flag already at
   * the value the plan first sets, with no rollback value declared, would stay there on rollback:
   * stop, unless the store says {@code adoptLiveState: true}.
   */
  private RolloutResult flags(Touched touched) {
    for (var byStore : touched.flags.entrySet()) {
      String store = byStore.getKey();
      FlagStore spec = plan.resources().flagStores().get(store);
      if (spec == null) continue;
      List<String> names = new ArrayList<>(byStore.getValue().keySet());
      Map<String, Object> read;
      try {
        read = ActivityStubs.step(FlagActivities.class, "read flags in " + store)
            .readFlags(rolloutId, store, spec, names);
      } catch (ActivityFailure e) {
        return stop("could not read the flags in '" + store + "' before the first change: " + Failures.rootMessage(e)
            + "; nothing was changed");
      }
      Map<String, Object> live = new LinkedHashMap<>();
      for (String flag : names) live.put(flag, read == null ? null : read.get(flag));
      if (!spec.adoptsLiveState()) {
        for (String flag : names) {
          Object first = byStore.getValue().get(flag);
          boolean declared = touched.rollbackValues.getOrDefault(store, Set.of()).contains(flag);
          if (!declared && first != null && sameValue(first, live.get(flag))) {
            return stop("flag '" + flag + "' in '" + store + "' already holds " + first + ", the value this rollout"
                + " sets, and the plan declares no rollbackValues for it, so a rollback would leave it so; nothing"
                + " was changed. Set it back first, declare rollbackValues on the step, or set adoptLiveState: true"
                + " on the flag store");
          }
        }
      }
      steps.recordStartFlags(store, live);
    }
    return null;
  }

  /** Flag values come back from stores as text or JSON: compare them as people read them. */
  private static boolean sameValue(Object a, Object b) {
    return b != null && String.valueOf(a).equals(String.valueOf(b));
  }

  /** What the plan's steps touch, in plan order: routers, workloads (first image deployed), flags (first value set). */
  private static final class Touched implements StepVisitor<Void> {
    final Set<String> routers = new LinkedHashSet<>();
    final Map<String, String> workloads = new LinkedHashMap<>();
    final Map<String, Map<String, Object>> flags = new LinkedHashMap<>();
    final Map<String, Set<String>> rollbackValues = new LinkedHashMap<>();

    public Void traffic(Step.ShiftTraffic t) {
      routers.add(t.router());
      return null;
    }

    public Void deploy(Step.Deploy d) {
      if (!workloads.containsKey(d.workload()) || workloads.get(d.workload()) == null) workloads.put(d.workload(), d.image());
      return null;
    }

    public Void scale(Step.Scale s) {
      workloads.putIfAbsent(s.workload(), null);
      return null;
    }

    public Void env(Step.SetEnv e) {
      workloads.putIfAbsent(e.workload(), null);
      return null;
    }

    public Void flags(Step.SetFlags f) {
      Map<String, Object> first = flags.computeIfAbsent(f.store(), s -> new LinkedHashMap<>());
      f.values().forEach((k, v) -> {
        if (!first.containsKey(k)) first.put(k, v);
      });
      rollbackValues.computeIfAbsent(f.store(), s -> new LinkedHashSet<>()).addAll(f.rollbackValues().keySet());
      return null;
    }

    public Void backup(Step.Backup b) { return null; }

    public Void migrate(Step.Migrate m) { return null; }

    public Void health(Step.HealthCheck h) { return null; }

    public Void bake(Step.Bake b) { return null; }

    public Void notify(Step.Notify n) { return null; }

    public Void checklist(Step.Checklist c) { return null; }

    // Runbook commands, Jobs and admin calls have no live state the rollout could compare.
    public Void run(Step.Run r) { return null; }

    public Void http(Step.Http h) { return null; }
  }

  private RolloutResult stop(String reason) {
    status.log("system", "stopped before the first change", reason);
    notices.send(notices.fallback(), Severity.WARNING, plan.name() + " stopped before changing anything", reason);
    return new RolloutResult(Outcome.STOPPED_BEFORE_CHANGE, reason, "target not in the expected state", null,
        status.decisions());
  }
}
