package dev.rollout.render;

import dev.rollout.plan.Durations;
import dev.rollout.plan.Plan;
import dev.rollout.render.Canvas.Anchor;
import dev.rollout.render.PlanTimeline.Mark;
import dev.rollout.render.PlanTimeline.PhaseSpan;
import dev.rollout.render.PlanTimeline.Segment;
import dev.rollout.render.PlanTimeline.WeightStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The plan as a picture: the canary weight as a step line over time, then one row per phase on the
 * same time axis (days or weeks) with its bakes, and marks for approvals, windows, gates and
 * checklists. {@code rollout render} writes it as SVG or PNG; the dashboard shows the SVG.
 */
public final class PlanPicture {
  static final int WIDTH = 1200;
  private static final double LABELS = 290;
  private static final double X0 = LABELS + 10;
  private static final double X1 = WIDTH - 40;
  private static final double ROW = 40;
  private static final String INK = "#1f2933";
  private static final String MUTED = "#616e7c";
  private static final String GRID = "#e4e7eb";
  private static final String BAR = "#d9e2ec";
  private static final String BAKE = "#3e7cb1";
  private static final String WEIGHT = "#e12d39";
  private static final String APPROVAL = "#7b3fbf";
  private static final String WINDOW = "#de911d";
  private static final String GATES = "#2f8f46";
  private static final String CHECKLIST = "#616e7c";

  private final PlanTimeline timeline;
  private final double weightTop;
  private final double rowsTop;
  private final int height;

  private PlanPicture(Plan plan) {
    timeline = PlanTimeline.of(plan);
    weightTop = 56;
    rowsTop = timeline.hasTraffic() ? weightTop + 150 : weightTop + 30;
    height = (int) (rowsTop + timeline.phases().size() * ROW + 60);
  }

  public static String svg(Plan plan) {
    PlanPicture p = new PlanPicture(plan);
    SvgCanvas c = new SvgCanvas(WIDTH, p.height);
    p.draw(c);
    return c.document();
  }

  public static byte[] png(Plan plan) {
    PlanPicture p = new PlanPicture(plan);
    PngCanvas c = new PngCanvas(WIDTH, p.height);
    p.draw(c);
    return c.png();
  }

  private void draw(Canvas c) {
    Plan plan = timeline.plan();
    boolean versioned = plan.version() != null && !plan.name().contains(plan.version());
    c.text(16, 28, plan.name() + (versioned ? "  v" + plan.version() : ""), 18, INK, Anchor.START, true);
    c.text(X1, 28, timeline.phases().size() + " phases · " + Durations.format(timeline.total()) + " of bakes"
        + " (plus waits for windows and people)", 12, MUTED, Anchor.END, false);
    double bottom = rowsTop + timeline.phases().size() * ROW;
    axis(c, timeline.hasTraffic() ? weightTop : rowsTop - 8, bottom);
    if (timeline.hasTraffic()) weights(c);
    for (PhaseSpan span : timeline.phases()) row(c, span, rowsTop + span.index() * ROW);
    legend(c, bottom + 34);
  }

  private double x(Duration t) {
    long total = Math.max(1, timeline.total().toSeconds());
    return X0 + (X1 - X0) * t.toSeconds() / (double) total;
  }

  /** Ticks every 6 hours, day or week, whichever keeps them readable; vertical grid lines. */
  private void axis(Canvas c, double top, double bottom) {
    Duration total = timeline.total();
    Duration step;
    String unit;
    if (total.compareTo(Duration.ofDays(2)) <= 0) {
      step = total.compareTo(Duration.ofHours(12)) <= 0 ? Duration.ofHours(1) : Duration.ofHours(6);
      unit = "h";
    } else if (total.compareTo(Duration.ofDays(21)) <= 0) {
      step = Duration.ofDays(1);
      unit = "day";
    } else {
      step = Duration.ofDays(7);
      unit = "week";
    }
    if (total.isZero()) return;
    for (Duration t = Duration.ZERO; t.compareTo(total) <= 0; t = t.plus(step)) {
      double x = x(t);
      c.line(x, top, x, bottom, GRID, 1, false);
      long n = t.toSeconds() / step.toSeconds();
      String label = unit.equals("h") ? t.toHours() + "h" : unit + " " + n;
      c.text(x, bottom + 14, label, 11, MUTED, Anchor.MIDDLE, false);
    }
  }

  private void weights(Canvas c) {
    double top = weightTop + 10;
    double h = 110;
    c.text(16, top + 12, "canary weight", 13, INK, Anchor.START, true);
    for (int pct : new int[] {0, 50, 100}) {
      double y = top + h - h * pct / 100.0;
      c.line(X0, y, X1, y, GRID, 1, pct != 0);
      c.text(X0 - 6, y + 4, pct + "%", 11, MUTED, Anchor.END, false);
    }
    List<double[]> points = new ArrayList<>();
    double last = 0;
    for (WeightStep w : timeline.weights()) {
      double x = x(w.at());
      points.add(new double[] {x, top + h - h * last / 100});
      points.add(new double[] {x, top + h - h * w.percent() / 100});
      last = w.percent();
    }
    points.add(new double[] {X1, top + h - h * last / 100});
    c.polyline(points, WEIGHT, 2.5);
    // Label each change once, above the line, skipping only a label whose box would overlap one
    // already drawn (steps close in time but at different weights all keep their labels).
    List<double[]> drawn = new ArrayList<>();
    for (WeightStep w : timeline.weights().subList(1, timeline.weights().size())) {
      String label = percent(w.percent());
      double x = x(w.at()) + 4;
      double baseline = top + h - h * w.percent() / 100 - 5;
      double[] box = {x, baseline - 11, x + Canvas.width(label, 11), baseline + 2};
      if (drawn.stream().anyMatch(b -> box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3])) continue;
      c.text(x, baseline, label, 11, WEIGHT, Anchor.START, true);
      drawn.add(box);
    }
  }

  private void row(Canvas c, PhaseSpan span, double y) {
    if (span.index() % 2 == 1) c.rect(8, y, WIDTH - 16, ROW, "#f8f9fb", null);
    String name = (span.index() + 1) + ". " + span.phase().name();
    c.text(16, y + 17, fit(name, 13, LABELS - 20), 13, INK, Anchor.START, true);
    c.text(16, y + 32, fit(summary(span), 10.5, LABELS - 20), 10.5, MUTED, Anchor.START, false);
    double x0 = x(span.start());
    double x1 = Math.max(x(span.end()), x0 + 4);
    c.rect(x0, y + 10, x1 - x0, 20, BAR, null);
    for (Segment bake : span.bakes()) {
      double bx0 = x(bake.start());
      double bx1 = Math.max(x(bake.end()), bx0 + 2);
      c.rect(bx0, y + 12, bx1 - bx0, 16, BAKE, null);
      if (bx1 - bx0 > Canvas.width(bake.label(), 10) + 8) {
        c.text((bx0 + bx1) / 2, y + 24, bake.label(), 10, "#ffffff", Anchor.MIDDLE, false);
      }
    }
    for (Mark m : span.marks()) mark(c, m, y + 20);
  }

  private void mark(Canvas c, Mark m, double cy) {
    double x = x(m.at());
    switch (m.kind()) {
      case ENTRY_APPROVAL, EXIT_APPROVAL -> {
        double dx = m.kind() == PlanTimeline.MarkKind.ENTRY_APPROVAL ? -1 : 1;
        c.polygon(diamond(x + dx * 7, cy, 7), APPROVAL);
      }
      case WINDOW -> {
        c.circle(x - 16, cy, 6, WINDOW);
        c.line(x - 16, cy, x - 16, cy - 4, "#ffffff", 1.5, false);
        c.line(x - 16, cy, x - 13, cy, "#ffffff", 1.5, false);
      }
      case GATES -> c.polygon(List.of(new double[] {x - 6, cy + 13}, new double[] {x + 6, cy + 13}, new double[] {x, cy + 4}), GATES);
      case CHECKLIST -> c.rect(x + 2, cy - 16, 8, 6, CHECKLIST, null);
    }
  }

  private void legend(Canvas c, double y) {
    double x = 16;
    c.rect(x, y - 9, 22, 10, BAKE, null);
    c.text(x + 28, y, "bake", 11, INK, Anchor.START, false);
    x += 80;
    c.polygon(diamond(x + 7, y - 4, 6), APPROVAL);
    c.text(x + 18, y, "approval (entry / go-no-go)", 11, INK, Anchor.START, false);
    x += 190;
    c.circle(x + 6, y - 4, 6, WINDOW);
    c.text(x + 18, y, "deployment window", 11, INK, Anchor.START, false);
    x += 140;
    c.polygon(List.of(new double[] {x, y + 1}, new double[] {x + 12, y + 1}, new double[] {x + 6, y - 9}), GATES);
    c.text(x + 18, y, "gates judged", 11, INK, Anchor.START, false);
    x += 110;
    c.rect(x, y - 7, 8, 6, CHECKLIST, null);
    c.text(x + 14, y, "checklist", 11, INK, Anchor.START, false);
    if (timeline.hasTraffic()) {
      x += 90;
      c.line(x, y - 4, x + 22, y - 4, WEIGHT, 2.5, false);
      c.text(x + 28, y, "canary weight", 11, INK, Anchor.START, false);
    }
  }

  /** What the row's marks say, in words (the picture's marks are small). */
  private static String summary(PhaseSpan span) {
    List<String> parts = new ArrayList<>();
    Duration bakes = span.end().minus(span.start());
    if (!bakes.isZero()) parts.add(Durations.format(bakes));
    long gates = span.marks().stream().filter(m -> m.kind() == PlanTimeline.MarkKind.GATES).count();
    span.marks().stream().filter(m -> m.kind() == PlanTimeline.MarkKind.WINDOW).findFirst().ifPresent(m -> parts.add(m.label()));
    if (gates > 0) parts.add(span.phase().gates().size() + span.phase().steps().stream()
        .filter(s -> s instanceof dev.rollout.plan.Step.Bake).mapToInt(s -> ((dev.rollout.plan.Step.Bake) s).gates().size()).sum() + " gates");
    if (span.phase().entryApproval() != null) parts.add("entry approval");
    if (span.phase().exitApproval() != null) parts.add("go/no-go");
    return String.join(" · ", parts);
  }

  private static List<double[]> diamond(double x, double y, double r) {
    return List.of(new double[] {x, y - r}, new double[] {x + r, y}, new double[] {x, y + r}, new double[] {x - r, y});
  }

  private static String fit(String text, double size, double width) {
    if (Canvas.width(text, size) <= width) return text;
    int keep = Math.max(1, (int) (width / (size * 0.56)) - 1);
    return text.substring(0, Math.min(keep, text.length())) + "…";
  }

  private static String percent(double p) {
    return p == Math.rint(p) ? (long) p + "%" : String.format(Locale.ROOT, "%.1f%%", p);
  }
}
