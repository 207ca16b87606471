package dev.rollout.activities.gates;

import dev.rollout.plan.Quantity.Unit;
import dev.rollout.plan.Quantity;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * Units of metrics and thresholds. Values are compared in base units (ratio, seconds, bytes), so a
 * metric in seconds meets a threshold in ms; a time never meets a size.
 */
public final class Units {
  private Units() {}

  enum Dimension {
    NUMBER,
    TIME,
    SIZE
  }

  /** The unit a metric's query returns; null or empty means a plain number or a ratio. */
  public static Unit of(String metric, String symbol) {
    if (symbol == null || symbol.isBlank()) return Unit.NONE;
    try {
      return Quantity.parse("1" + symbol.trim()).unit();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "metric '" + metric + "' has an unknown unit '" + symbol
              + "' (known: %, pp, ms, s, m, B, KB, MB, GB, KiB, MiB, GiB)");
    }
  }

  static Dimension dimension(Unit unit) {
    return switch (unit) {
      case NONE, PERCENT, PERCENTAGE_POINTS -> Dimension.NUMBER;
      case MILLISECONDS, SECONDS, MINUTES -> Dimension.TIME;
      default -> Dimension.SIZE;
    };
  }

  /** Refuses comparing a metric with a threshold of another kind, e.g. seconds with megabytes. */
  public static void requireComparable(String metric, Unit metricUnit, Quantity threshold) {
    if (dimension(metricUnit) != dimension(threshold.unit())) {
      throw new IllegalArgumentException(
          "threshold " + threshold + " cannot be compared with metric '" + metric + "' measured in "
              + (metricUnit == Unit.NONE ? "plain numbers" : metricUnit.symbol())
              + ": set the metric's unit or write the threshold in a "
              + dimension(metricUnit).name().toLowerCase(Locale.ROOT) + " unit");
    }
  }

  /** A base value written in {@code unit}: {@code 0.012} ratio in % is {@code 1.2%}. */
  public static String format(double base, Unit unit) {
    double v = base / unit.toBase();
    if (Double.isNaN(v) || Double.isInfinite(v)) return v + unit.symbol();
    BigDecimal rounded = new BigDecimal(v).round(new MathContext(Math.abs(v) >= 1000 ? 6 : 3));
    return rounded.stripTrailingZeros().toPlainString() + unit.symbol();
  }
}
