package dev.rollout.render;

import dev.rollout.plan.Durations;
import dev.rollout.plan.Phase;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A plan laid out on a time axis, as the pictures show it: each phase from its start to the end of
 * its bakes, the canary weight at each traffic step, and the marks (approvals, windows, gates). Only
 * bakes take planned time; waits for people and windows are marked, not measured.
 */
record PlanTimeline(Plan plan, List<PhaseSpan> phases, List<WeightStep> weights, Duration total) {

  /** @param start,end offsets from the rollout's start */
  record PhaseSpan(int index, Phase phase, Duration start, Duration end, List<Segment> bakes, List<Mark> marks) {}

  record Segment(Duration start, Duration end, String label) {}

  enum MarkKind { ENTRY_APPROVAL, EXIT_APPROVAL, WINDOW, GATES, CHECKLIST }

  record Mark(MarkKind kind, Duration at, String label) {}

  record WeightStep(Duration at, double percent) {}

  static PlanTimeline of(Plan plan) {
    List<PhaseSpan> spans = new ArrayList<>();
    List<WeightStep> weights = new ArrayList<>();
    weights.add(new WeightStep(Duration.ZERO, 0));
    Duration t = Duration.ZERO;
    for (int i = 0; i < plan.phases().size(); i++) {
      Phase p = plan.phases().get(i);
      Duration start = t;
      List<Segment> bakes = new ArrayList<>();
      List<Mark> marks = new ArrayList<>();
      if (p.window() != null) marks.add(new Mark(MarkKind.WINDOW, t, window(p)));
      if (p.entryApproval() != null) marks.add(new Mark(MarkKind.ENTRY_APPROVAL, t, "entry: " + roles(p.entryApproval())));
      int checklists = 0;
      for (Step s : p.steps()) {
        if (s instanceof Step.ShiftTraffic traffic) weights.add(new WeightStep(t, traffic.percent()));
        if (s instanceof Step.Checklist) checklists++;
        if (s instanceof Step.Bake b && b.duration() != null && !b.duration().isZero()) {
          bakes.add(new Segment(t, t.plus(b.duration()), "bake " + Durations.format(b.duration())));
          t = t.plus(b.duration());
          if (!b.gates().isEmpty() || b.analysis() != null) {
            marks.add(new Mark(MarkKind.GATES, t, b.gates().size() + " gate(s)" + (b.analysis() != null ? " + canary analysis" : "")));
          }
        }
      }
      if (checklists > 0) marks.add(new Mark(MarkKind.CHECKLIST, start, checklists + " checklist item(s)"));
      if (!p.bake().isZero()) {
        bakes.add(new Segment(t, t.plus(p.bake()), "bake " + Durations.format(p.bake())));
        t = t.plus(p.bake());
      }
      if (!p.gates().isEmpty()) marks.add(new Mark(MarkKind.GATES, t, p.gates().size() + " gate(s)"));
      if (p.exitApproval() != null) marks.add(new Mark(MarkKind.EXIT_APPROVAL, t, "go/no-go: " + roles(p.exitApproval())));
      spans.add(new PhaseSpan(i, p, start, t, bakes, marks));
    }
    return new PlanTimeline(plan, spans, weights, t);
  }

  boolean hasTraffic() {
    return weights.size() > 1;
  }

  private static String roles(dev.rollout.plan.Approval a) {
    int n = a.requiredApprovals();
    return (n < a.roles().size() ? n + " of " : "") + String.join(", ", a.roles());
  }

  private static String window(Phase p) {
    var w = p.window();
    String days = w.days() == null || w.days().isEmpty() ? "daily"
        : String.join(",", w.days().stream().map(d -> d.name().substring(0, 3)).toList());
    return "window " + days + " " + w.start() + "-" + w.end() + (w.timeZone() != null ? " " + w.timeZone() : "");
  }
}
