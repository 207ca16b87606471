package dev.rollout.render;

import dev.rollout.plan.Plan;
import dev.rollout.render.PlanTimeline.Mark;
import dev.rollout.render.PlanTimeline.PhaseSpan;
import dev.rollout.render.PlanTimeline.Segment;
import dev.rollout.render.PlanTimeline.WeightStep;

/**
 * The plan as a Mermaid gantt chart (renders in GitHub markdown): a section per phase with its
 * bakes as tasks, approvals, gates and traffic shifts as milestones. Times count from an arbitrary
 * day 0 (the chart shows durations, not dates).
 */
public final class MermaidGantt {
  private MermaidGantt() {}

  public static String of(Plan plan) {
    PlanTimeline t = PlanTimeline.of(plan);
    StringBuilder m = new StringBuilder("gantt\n");
    m.append("  title ").append(clean(plan.name())).append('\n');
    m.append("  dateFormat X\n");
    m.append("  axisFormat ").append(t.total().toDays() > 21 ? "week %U" : "day %j").append('\n');
    int id = 0;
    for (PhaseSpan span : t.phases()) {
      m.append("  section ").append(clean((span.index() + 1) + ". " + span.phase().name())).append('\n');
      for (Mark mark : span.marks()) {
        m.append("    ").append(clean(mark.label())).append(" :milestone, m").append(id++).append(", ")
            .append(mark.at().toSeconds()).append(", 0s\n");
      }
      for (WeightStep w : t.weights()) {
        if (!w.at().isZero() || w.percent() > 0) {
          if (!w.at().minus(span.start()).isNegative() && w.at().compareTo(span.end()) <= 0 && inPhase(t, span, w)) {
            m.append("    traffic ").append(pct(w.percent())).append(" :milestone, m").append(id++).append(", ")
                .append(w.at().toSeconds()).append(", 0s\n");
          }
        }
      }
      for (Segment bake : span.bakes()) {
        m.append("    ").append(clean(bake.label())).append(" :b").append(id++).append(", ")
            .append(bake.start().toSeconds()).append(", ").append(bake.end().minus(bake.start()).toSeconds()).append("s\n");
      }
    }
    return m.toString();
  }

  /** A weight change belongs to the first phase whose span holds it. */
  private static boolean inPhase(PlanTimeline t, PhaseSpan span, WeightStep w) {
    int stepIndex = t.weights().indexOf(w);
    int count = 0;
    for (PhaseSpan s : t.phases()) {
      long shifts = s.phase().steps().stream().filter(st -> st instanceof dev.rollout.plan.Step.ShiftTraffic).count();
      if (stepIndex > count && stepIndex <= count + shifts) return s == span;
      count += (int) shifts;
    }
    return false;
  }

  private static String pct(double p) {
    return p == Math.rint(p) ? (long) p + "%" : p + "%";
  }

  /** Mermaid reads ':' and '#' as syntax. */
  private static String clean(String s) {
    return s.replace(":", " ").replace("#", "").replace(";", ",");
  }
}
