package dev.rollout.activities.metrics;

import dev.rollout.activities.MetricActivities.BoundMetric;
import dev.rollout.plan.Target;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Fills a plan's query with the rollout's labels: {@code ${service}} and {@code ${environment}}. */
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
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    return m.appendTail(out).toString();
  }
}
