package dev.rollout.workflow;

import dev.rollout.plan.Durations;
import dev.rollout.plan.Step;
import java.time.Duration;
import java.util.Locale;

/** How steps read in status, summaries and the decision log. */
final class Steps {
  /** How long a deploy or scale may take to become ready. */
  static final Duration READY = Duration.ofMinutes(15);

  private Steps() {}

  static String label(Step step) {
    if (step.name() != null && !step.name().isBlank()) return step.name();
    if (step instanceof Step.Backup b) return "back up " + b.database();
    if (step instanceof Step.Migrate m) return "migrate " + m.database() + " to " + m.targetVersion();
    if (step instanceof Step.ShiftTraffic t) return "traffic on " + t.router() + " to " + percent(t.percent());
    if (step instanceof Step.SetFlags f) return "set flags " + f.values().keySet() + " in " + f.store();
    if (step instanceof Step.Deploy d) return "deploy " + d.image() + " to " + d.workload();
    if (step instanceof Step.Scale s) return "scale " + s.workload() + " to " + s.replicas();
    if (step instanceof Step.SetEnv e) return "set env " + e.env().keySet() + " on " + e.workload();
    if (step instanceof Step.HealthCheck h) return "health check " + h.url();
    if (step instanceof Step.Bake b) return "bake " + Durations.format(b.duration() == null ? Duration.ZERO : b.duration());
    if (step instanceof Step.Notify n) return "notify " + n.notifier();
    if (step instanceof Step.Checklist c) return "checklist: " + c.item();
    if (step instanceof Step.Run r) return "run " + (r.command() != null ? r.command() : "job " + r.job().image());
    if (step instanceof Step.Http h) return h.method() + " " + h.url();
    return step.toString();
  }

  static String percent(double p) {
    return p == Math.rint(p) ? (long) p + "%" : String.format(Locale.ROOT, "%.2f%%", p);
  }
}
