package dev.rollout.activities.metrics.scrape;

import dev.rollout.activities.metrics.MetricQueryException;
import dev.rollout.plan.Durations;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The small part of PromQL a scraped endpoint can answer without Prometheus: a selector (every
 * matching series summed), {@code rate(selector[window])} over the samples kept in memory, and one
 * division of two of those, e.g. {@code rate(http_errors_total[30s]) / rate(http_requests_total[30s])}.
 */
public sealed interface ScrapeQuery {

  Pattern SELECTOR = Pattern.compile("\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(?:\\{([^}]*)})?\\s*");
  Pattern RATE = Pattern.compile("\\s*rate\\s*\\(\\s*(.+?)\\s*\\[\\s*(\\w+)\\s*]\\s*\\)\\s*");
  Pattern LABEL = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*");

  /** The metric names this query reads, so history keeps only those. */
  Set<String> names();

  record Selector(String name, Map<String, String> labels) implements ScrapeQuery {
    boolean matches(Exposition.Line line) {
      return line.name().equals(name) && labels.entrySet().stream()
          .allMatch(e -> e.getValue().equals(line.labels().get(e.getKey())));
    }

    public Set<String> names() {
      return Set.of(name);
    }
  }

  record Rate(Selector counter, Duration window) implements ScrapeQuery {
    public Set<String> names() {
      return counter.names();
    }
  }

  record Ratio(ScrapeQuery numerator, ScrapeQuery denominator) implements ScrapeQuery {
    public Set<String> names() {
      return Stream.concat(numerator.names().stream(), denominator.names().stream()).collect(Collectors.toSet());
    }
  }

  static ScrapeQuery parse(String text) {
    int slash = topLevelSlash(text);
    if (slash >= 0) return new Ratio(term(text.substring(0, slash), text), term(text.substring(slash + 1), text));
    return term(text, text);
  }

  private static ScrapeQuery term(String term, String whole) {
    Matcher rate = RATE.matcher(term);
    if (rate.matches()) {
      try {
        return new Rate(selector(rate.group(1), whole), Durations.parse(rate.group(2)));
      } catch (IllegalArgumentException e) {
        throw MetricQueryException.badQuery("scrape query `" + whole + "`: " + e.getMessage());
      }
    }
    return selector(term, whole);
  }

  private static Selector selector(String text, String whole) {
    Matcher m = SELECTOR.matcher(text);
    if (!m.matches()) {
      throw MetricQueryException.badQuery("scrape query `" + whole + "` is not understood: a scrape source answers"
          + " name{label=\"value\"}, rate(name{...}[30s]) and one '/' between two of those");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (m.group(2) != null && !m.group(2).isBlank()) {
      for (String pair : m.group(2).split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
        Matcher l = LABEL.matcher(pair);
        if (!l.matches()) {
          throw MetricQueryException.badQuery("scrape query `" + whole + "`: bad label matcher `"
              + pair.strip() + "` (only label=\"value\")");
        }
        labels.put(l.group(1), l.group(2).replace("\\\"", "\""));
      }
    }
    return new Selector(m.group(1), labels);
  }

  private static int topLevelSlash(String text) {
    int depth = 0;
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' && (i == 0 || text.charAt(i - 1) != '\\')) quoted = !quoted;
      if (quoted) continue;
      if (c == '(' || c == '{' || c == '[') depth++;
      if (c == ')' || c == '}' || c == ']') depth--;
      if (c == '/' && depth == 0) return i;
    }
    return -1;
  }
}
