package dev.rollout.render;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Writes the drawing as a small, dependency-free SVG document. */
final class SvgCanvas implements Canvas {
  private final StringBuilder svg = new StringBuilder();
  private final int width;
  private final int height;

  SvgCanvas(int width, int height) {
    this.width = width;
    this.height = height;
  }

  @Override
  public void rect(double x, double y, double w, double h, String fill, String stroke) {
    svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"3\" fill=\"%s\"%s/>%n",
        x, y, w, h, fill, stroke == null ? "" : " stroke=\"" + stroke + "\""));
  }

  @Override
  public void line(double x1, double y1, double x2, double y2, String stroke, double width, boolean dashed) {
    svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>%n",
        x1, y1, x2, y2, stroke, width, dashed ? " stroke-dasharray=\"3 3\"" : ""));
  }

  @Override
  public void polyline(List<double[]> points, String stroke, double width) {
    svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\" stroke-linejoin=\"round\"/>%n",
        points(points), stroke, width));
  }

  @Override
  public void polygon(List<double[]> points, String fill) {
    svg.append(String.format(Locale.ROOT, "<polygon points=\"%s\" fill=\"%s\"/>%n", points(points), fill));
  }

  @Override
  public void circle(double cx, double cy, double r, String fill) {
    svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>%n", cx, cy, r, fill));
  }

  @Override
  public void text(double x, double y, String text, double size, String color, Anchor anchor, boolean bold) {
    svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" fill=\"%s\"%s%s>%s</text>%n",
        x, y, size, color,
        anchor == Anchor.START ? "" : " text-anchor=\"" + anchor.name().toLowerCase(Locale.ROOT) + "\"",
        bold ? " font-weight=\"bold\"" : "", escape(text)));
  }

  String document() {
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"" + height
        + "\" viewBox=\"0 0 " + width + " " + height + "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
        + "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n" + svg + "</svg>\n";
  }

  private static String points(List<double[]> points) {
    return points.stream().map(p -> String.format(Locale.ROOT, "%.1f,%.1f", p[0], p[1])).collect(Collectors.joining(" "));
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
