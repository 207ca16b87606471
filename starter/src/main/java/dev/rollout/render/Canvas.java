package dev.rollout.render;

import java.util.List;

/** The few drawing operations the plan picture needs, so one drawing makes both SVG and PNG. */
interface Canvas {
  enum Anchor { START, MIDDLE, END }

  void rect(double x, double y, double w, double h, String fill, String stroke);

  void line(double x1, double y1, double x2, double y2, String stroke, double width, boolean dashed);

  void polyline(List<double[]> points, String stroke, double width);

  void polygon(List<double[]> points, String fill);

  void circle(double cx, double cy, double r, String fill);

  void text(double x, double y, String text, double size, String color, Anchor anchor, boolean bold);

  /** Roughly how wide {@code text} is at {@code size} (both back-ends use a sans-serif font). */
  static double width(String text, double size) {
    return text.length() * size * 0.56;
  }
}
