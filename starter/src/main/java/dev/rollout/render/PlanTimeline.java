package dev.rollout.render;

import dev.rollout.plan.Durations;
import dev.rollout.plan.Phase;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Step;
import dev.rollout.plan.StepVisitor;
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
      List<Mark> marks = new ArrayList<>();
      if (p.window() != null) marks.add(new Mark(MarkKind.WINDOW, t, window(p)));
      if (p.entryApproval() != null) marks.add(new Mark(MarkKind.ENTRY_APPROVAL, t, "entry: " + roles(p.entryApproval())));
      StepLayout steps = new StepLayout(t, weights, marks);
      for (Step s : p.steps()) s.accept(steps);
      t = steps.t;
      List<Segment> bakes = steps.bakes;
      if (steps.checklists > 0) marks.add(new Mark(MarkKind.CHECKLIST, start, steps.checklists + " checklist item(s)"));
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

  /**
   * A phase's steps on the axis: traffic steps set the weight, bake steps take time (and mark
   * their gates), checklist items are counted; a new kind does not compile until it says where
   * it appears in the picture.
   */
  private static final class StepLayout implements StepVisitor<Void> {
    private Duration t;
    private final List<WeightStep> weights;
    private final List<Mark> marks;
    private final List<Segment> bakes = new ArrayList<>();
    private int checklists;

    StepLayout(Duration start, List<WeightStep> weights, List<Mark> marks) {
      this.t = start;
      this.weights = weights;
      this.marks = marks;
    }

    @Override
    public Void traffic(Step.ShiftTraffic traffic) {
      weights.add(new WeightStep(t, traffic.percent()));
      return null;
    }

    @Override
    public Void checklist(Step.Checklist item) {
      checklists++;
      return null;
    }

    @Override
    public Void bake(Step.Bake b) {
      if (b.duration() == null || b.duration().isZero()) return null;
      bakes.add(new Segment(t, t.plus(b.duration()), "bake " + Durations.format(b.duration())));
      t = t.plus(b.duration());
      if (!b.gates().isEmpty() || b.analysis() != null) {
        marks.add(new Mark(MarkKind.GATES, t, b.gates().size() + " gate(s)" + (b.analysis() != null ? " + canary analysis" : "")));
      }
      return null;
    }

    // Instant steps: no time on the axis, no mark.

    @Override
    public Void backup(Step.Backup step) {
      return null;
    }

    @Override
    public Void migrate(Step.Migrate step) {
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
    public Void notify(Step.Notify step) {
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
