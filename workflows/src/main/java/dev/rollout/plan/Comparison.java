package dev.rollout.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

public enum Comparison {
  LT("<"),
  LE("<="),
  GT(">"),
  GE(">=");

  private final String symbol;

  Comparison(String symbol) {
    this.symbol = symbol;
  }

  @JsonValue
  public String symbol() {
    return symbol;
  }

  public boolean holds(double left, double right) {
    return switch (this) {
      case LT -> left < right;
      case LE -> left <= right;
      case GT -> left > right;
      case GE -> left >= right;
    };
  }

  @JsonCreator
  public static Comparison of(String text) {
    for (Comparison c : values()) {
      if (c.symbol.equals(text) || c.name().equalsIgnoreCase(text)) return c;
    }
    throw new IllegalArgumentException(
        "'" + text + "' is not a comparison (one of <, <=, >, >=)");
  }
}
