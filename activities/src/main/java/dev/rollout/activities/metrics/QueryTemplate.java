package dev.rollout.activities.metrics;

import dev.rollout.activities.MetricActivities.BoundMetric;
import dev.rollout.plan.Target;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills a plan's query with the rollout's labels: {@code ${service}} and {@code ${environment}},
 * escaped as PromQL string content, so a label value cannot close its quotes and add matchers or
 * operators; a value with a backtick (PromQL raw strings cannot escape one) or a control
 * character is refused.
 */
public final class QueryTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

  private QueryTemplate() {}

  public static MetricRequest bind(BoundMetric metric, Target target) {
    return new MetricRequest(metric.name(), fill(metric.name(), metric.query().query(), target));
  }

  static String fill(String metric, String query, Target target) {
    if (query == null || query.isBlank()) {
      throw MetricQueryException.badQuery("metric '" + metric + "' has no query");
    }
    Matcher m = PLACEHOLDER.matcher(query);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value =
          switch (m.group(1)) {
            case "service" -> target.service();
            case "environment" -> target.environment();
            default -> throw MetricQueryException.badQuery(
                "metric '" + metric + "' query uses unknown placeholder ${" + m.group(1)
                    + "} (known: ${service}, ${environment})");
          };
      m.appendReplacement(out, Matcher.quoteReplacement(escaped(metric, value)));
    }
    return m.appendTail(out).toString();
  }

  /** A label value as PromQL string content (inside "..." or '...'). */
  static String escaped(String metric, String value) {
    for (char c : value.toCharArray()) {
      if (c == '`' || Character.isISOControl(c)) {
        throw MetricQueryException.badQuery(
            "metric '" + metric + "': the label value '" + value.replaceAll("\\p{Cntrl}", "?")
                + "' has a character that cannot go into a PromQL query (backtick or control character)");
      }
    }
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("'", "\\'");
  }
}
