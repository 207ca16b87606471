package dev.rollout.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;

/** Paints the drawing with Java2D (headless) at twice the size, for crisp PNGs. */
final class PngCanvas implements Canvas {
  private static final double SCALE = 2;
  private final BufferedImage image;
  private final Graphics2D g;

  PngCanvas(int width, int height) {
    System.setProperty("java.awt.headless", "true");
    image = new BufferedImage((int) (width * SCALE), (int) (height * SCALE), BufferedImage.TYPE_INT_RGB);
    g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.scale(SCALE, SCALE);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
  }

  @Override
  public void rect(double x, double y, double w, double h, String fill, String stroke) {
    var shape = new RoundRectangle2D.Double(x, y, w, h, 6, 6);
    g.setColor(color(fill));
    g.fill(shape);
    if (stroke != null) {
      g.setColor(color(stroke));
      g.setStroke(new BasicStroke(1));
      g.draw(shape);
    }
  }

  @Override
  public void line(double x1, double y1, double x2, double y2, String stroke, double width, boolean dashed) {
    g.setColor(color(stroke));
    g.setStroke(dashed ? new BasicStroke((float) width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {3, 3}, 0)
        : new BasicStroke((float) width));
    g.draw(new Line2D.Double(x1, y1, x2, y2));
  }

  @Override
  public void polyline(List<double[]> points, String stroke, double width) {
    g.setColor(color(stroke));
    g.setStroke(new BasicStroke((float) width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g.draw(path(points, false));
  }

  @Override
  public void polygon(List<double[]> points, String fill) {
    g.setColor(color(fill));
    g.fill(path(points, true));
  }

  @Override
  public void circle(double cx, double cy, double r, String fill) {
    g.setColor(color(fill));
    g.fill(new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r));
  }

  @Override
  public void text(double x, double y, String text, double size, String color, Anchor anchor, boolean bold) {
    g.setFont(new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, (int) Math.round(size)));
    double w = g.getFontMetrics().stringWidth(text);
    double left = anchor == Anchor.START ? x : anchor == Anchor.MIDDLE ? x - w / 2 : x - w;
    g.setColor(color(color));
    g.drawString(text, (float) left, (float) y);
  }

  byte[] png() {
    g.dispose();
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path2D path(List<double[]> points, boolean close) {
    Path2D.Double p = new Path2D.Double();
    p.moveTo(points.get(0)[0], points.get(0)[1]);
    for (int i = 1; i < points.size(); i++) p.lineTo(points.get(i)[0], points.get(i)[1]);
    if (close) p.closePath();
    return p;
  }

  private static Color color(String hex) {
    return Color.decode(hex);
  }
}
