package dev.rollout.activities.metrics.scrape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses Prometheus' text exposition format (what {@code /metrics} and {@code /actuator/prometheus}
 * serve): {@code name{label="value",...} value [timestamp]} lines; comments and blank lines skipped.
 */
public final class Exposition {
  private Exposition() {}

  public record Line(String name, Map<String, String> labels, double value) {}

  public static List<Line> parse(String text) {
    List<Line> lines = new ArrayList<>();
    int number = 0;
    for (String raw : text.split("\n")) {
      number++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      try {
        lines.add(parseLine(line));
      } catch (RuntimeException e) {
        // Never the line itself: the URL may serve anything, and its content must not reach history.
        throw new IllegalArgumentException("line " + number + " is not in Prometheus text format", e);
      }
    }
    return lines;
  }

  private static Line parseLine(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && !Character.isWhitespace(line.charAt(i))) i++;
    String name = line.substring(0, i);
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') i = labels(line, i + 1, labels);
    String[] rest = line.substring(i).strip().split("\\s+");
    if (name.isEmpty() || rest[0].isEmpty()) throw new IllegalArgumentException("no name or value");
    return new Line(name, labels, value(rest[0]));
  }

  /** Reads {@code key="value",...}} from {@code i}; returns the index after the closing brace. */
  private static int labels(String line, int i, Map<String, String> labels) {
    while (true) {
      while (line.charAt(i) == ',' || line.charAt(i) == ' ') i++;
      if (line.charAt(i) == '}') return i + 1;
      int eq = line.indexOf('=', i);
      String key = line.substring(i, eq).strip();
      i = eq + 1;
      if (line.charAt(i) != '"') throw new IllegalArgumentException("label value not quoted");
      StringBuilder value = new StringBuilder();
      for (i++; line.charAt(i) != '"'; i++) {
        char c = line.charAt(i);
        if (c == '\\') {
          char next = line.charAt(++i);
          value.append(next == 'n' ? '\n' : next);
        } else {
          value.append(c);
        }
      }
      labels.put(key, value.toString());
      i++;
    }
  }

  static double value(String text) {
    return switch (text) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }
}
