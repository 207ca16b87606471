package dev.rollout.workflow;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * How a measured value reads to people (decision log, result, CLI, dashboard): as precise as a
 * reading needs — 4 significant digits, no trailing zeros ({@code 26.09}, not
 * {@code 26.08527210814999}); a whole number without ".0".
 */
public final class Readings {
  /** Reasons written by the workflow show readings rounded (before: Double.toString). */
  static final String ROUNDED_READINGS = "rounded-readings";

  private Readings() {}

  public static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
    if (Double.isNaN(v) || Double.isInfinite(v)) return Double.toString(v);
    return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }

  /**
   * A reading inside a reason the workflow writes (a result, a decision): rounded for rollouts
   * started with this change, as before ({@code String.valueOf}) for those started earlier, so
   * their histories replay to the same text. Workflow code only.
   */
  static String inReason(Double value) {
    if (!Changes.since(ROUNDED_READINGS)) return String.valueOf(value);
    return value == null ? "no data" : number(value);
  }
}
