package dev.rollout.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number with the unit people wrote: {@code 200ms}, {@code 1%}, {@code 0.1pp}, {@code 120MB},
 * {@code 0.7}.
 * Written back exactly as read, so it survives any Jackson round trip.
 */
public record Quantity(double value, Unit unit) {

  private static final Pattern FORM =
      Pattern.compile("\\s*([+-]?\\d+(?:\\.\\d+)?)\\s*([a-zA-Z%]*)\\s*");

  public enum Unit {
    NONE("", 1),
    PERCENT("%", 0.01),
    /**
     * Percentage points: an absolute change of a percentage or ratio, written only in thresholds
     * relative to a baseline ({@code 0.1pp}: 0.5 % becomes 0.6 %), where {@code %} means a
     * proportional change (0.5 % +10 % becomes 0.55 %).
     */
    PERCENTAGE_POINTS("pp", 0.01),
    MILLISECONDS("ms", 0.001),
    SECONDS("s", 1),
    MINUTES("m", 60),
    BYTES("B", 1),
    KILOBYTES("KB", 1e3),
    MEGABYTES("MB", 1e6),
    GIGABYTES("GB", 1e9),
    KIBIBYTES("KiB", 1024),
    MEBIBYTES("MiB", 1024 * 1024),
    GIBIBYTES("GiB", 1024 * 1024 * 1024);

    private final String symbol;
    private final double toBase;

    Unit(String symbol, double toBase) {
      this.symbol = symbol;
      this.toBase = toBase;
    }

    public String symbol() {
      return symbol;
    }

    /** Factor to the base unit: ratio for % and pp, seconds for times, bytes for sizes. */
    public double toBase() {
      return toBase;
    }

    static Unit of(String symbol) {
      for (Unit u : values()) {
        if (u.symbol.equals(symbol)) return u;
      }
      for (Unit u : values()) {
        if (u.symbol.equalsIgnoreCase(symbol)) return u;
      }
      return null;
    }
  }

  /** This quantity in its base unit (ratio, seconds, bytes, or the plain number). */
  public double base() {
    return value * unit.toBase;
  }

  @JsonCreator
  public static Quantity parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a number with a unit (e.g. 200ms, 1%, 120MB)");
    }
    Unit unit = Unit.of(m.group(2));
    if (unit == null) {
      throw new IllegalArgumentException(
          "'" + text + "' has an unknown unit '" + m.group(2) + "' (known: %, pp, ms, s, m, B, KB, MB, GB, KiB, MiB, GiB)");
    }
    return new Quantity(Double.parseDouble(m.group(1)), unit);
  }

  @JsonCreator
  public static Quantity of(double value) {
    return new Quantity(value, Unit.NONE);
  }

  @JsonValue
  @Override
  public String toString() {
    String number =
        value == Math.rint(value) && Math.abs(value) < 1e15
            ? Long.toString((long) value)
            : String.format(Locale.ROOT, "%s", value);
    return number + unit.symbol;
  }
}
