package dev.rollout.activities.metrics;

import dev.rollout.activities.MetricActivities.BoundMetric;
import dev.rollout.plan.Target;
import dev.rollout.plan.Tracks;
import dev.rollout.plan.Tracks.Track;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills a plan's query with the rollout's labels: {@code ${service}} and {@code ${environment}},
 * and {@code ${track}} with the canary's or the stable's label value from the metric's tracks,
 * escaped as PromQL string content, so a label value cannot close its quotes and add matchers or
 * operators; a value with a backtick (PromQL raw strings cannot escape one) or a control
 * character is refused.
 */
public final class QueryTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

  private QueryTemplate() {}

  /** The query gates read: the canary's series when the metric has tracks. */
  public static MetricRequest bind(BoundMetric metric, Target target) {
    return bind(metric, target, Track.CANARY);
  }

  /** The query for one track (a metric without tracks has one series, whichever is asked). */
  public static MetricRequest bind(BoundMetric metric, Target target, Track track) {
    Tracks tracks = metric.query().tracks();
    String label = tracks == null ? null : tracks.of(track);
    return new MetricRequest(metric.name(), fill(metric.name(), metric.query().query(), target, label),
        tracks == null ? null : track);
  }

  static String fill(String metric, String query, Target target) {
    return fill(metric, query, target, null);
  }

  /** @param track the track's label value, or null when the metric declares no tracks */
  static String fill(String metric, String query, Target target, String track) {
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
            case "track" -> {
              if (track == null) {
                throw MetricQueryException.badQuery("metric '" + metric + "' query uses ${track} but the"
                    + " metric declares no tracks (e.g. tracks: {canary: v2, stable: v1})");
              }
              yield track;
            }
            default -> throw MetricQueryException.badQuery(
                "metric '" + metric + "' query uses unknown placeholder ${" + m.group(1)
                    + "} (known: ${service}, ${environment}, ${track})");
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
