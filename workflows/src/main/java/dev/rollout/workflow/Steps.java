package dev.rollout.workflow;

import dev.rollout.plan.Durations;
import dev.rollout.plan.Step;
import dev.rollout.plan.StepVisitor;
import java.time.Duration;
import java.util.Locale;

/** How steps read in status, summaries and the decision log. */
public final class Steps {
  /** How long a deploy or scale may take to become ready. */
  static final Duration READY = Duration.ofMinutes(15);

  private Steps() {}

  public static String label(Step step) {
    if (step.name() != null && !step.name().isBlank()) return step.name();
    return step.accept(LABELS);
  }

  /** What each kind of step reads as when the plan gives it no name. */
  private static final StepVisitor<String> LABELS = new StepVisitor<>() {
    public String backup(Step.Backup b) { return "back up " + b.database(); }
    public String migrate(Step.Migrate m) { return "migrate " + m.database() + " to " + m.targetVersion(); }
    public String traffic(Step.ShiftTraffic t) { return "traffic on " + t.router() + " to " + percent(t.percent()); }
    public String flags(Step.SetFlags f) { return "set flags " + f.values().keySet() + " in " + f.store(); }
    public String deploy(Step.Deploy d) { return "deploy " + d.image() + " to " + d.workload(); }
    public String scale(Step.Scale s) { return "scale " + s.workload() + " to " + s.replicas(); }
    public String env(Step.SetEnv e) { return "set env " + e.env().keySet() + " on " + e.workload(); }
    public String health(Step.HealthCheck h) { return "health check " + h.url(); }
    public String bake(Step.Bake b) { return "bake " + Durations.format(b.duration() == null ? Duration.ZERO : b.duration()); }
    public String notify(Step.Notify n) { return "notify " + n.notifier(); }
    public String checklist(Step.Checklist c) { return "checklist: " + c.item(); }
    public String run(Step.Run r) { return "run " + (r.command() != null ? r.command() : "job " + r.job().image()); }
    public String http(Step.Http h) { return h.method() + " " + h.url(); }
  };

  /**
   * How a step runs: a change (undo registered first), a bake, a checklist item or a notice. Every
   * place that treats kinds differently asks this, so a new kind must be classified here once.
   */
  enum Role { CHANGE, BAKE, CHECKLIST, NOTICE }

  /** The key of step {@code step} of phase {@code phase} (both from 0): p1s1 is the first step of the first phase. */
  static String key(int phase, int step) {
    return "p" + (phase + 1) + "s" + (step + 1);
  }

  static Role role(Step step) {
    return step.accept(ROLES);
  }

  /** Steps that change the target (not a bake, a checklist item or a notice). */
  static boolean changes(Step step) {
    return role(step) == Role.CHANGE;
  }

  private static final StepVisitor<Role> ROLES = new StepVisitor<>() {
    public Role backup(Step.Backup b) { return Role.CHANGE; }
    public Role migrate(Step.Migrate m) { return Role.CHANGE; }
    public Role traffic(Step.ShiftTraffic t) { return Role.CHANGE; }
    public Role flags(Step.SetFlags f) { return Role.CHANGE; }
    public Role deploy(Step.Deploy d) { return Role.CHANGE; }
    public Role scale(Step.Scale s) { return Role.CHANGE; }
    public Role env(Step.SetEnv e) { return Role.CHANGE; }
    public Role health(Step.HealthCheck h) { return Role.CHANGE; }
    public Role bake(Step.Bake b) { return Role.BAKE; }
    public Role notify(Step.Notify n) { return Role.NOTICE; }
    public Role checklist(Step.Checklist c) { return Role.CHECKLIST; }
    public Role run(Step.Run r) { return Role.CHANGE; }
    public Role http(Step.Http h) { return Role.CHANGE; }
  };

  static String percent(double p) {
    return p == Math.rint(p) ? (long) p + "%" : String.format(Locale.ROOT, "%.2f%%", p);
  }
}
