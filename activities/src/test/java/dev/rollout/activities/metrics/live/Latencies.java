package dev.rollout.activities.metrics.live;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Named series of latencies in ms, printed as median and p95 (nearest rank). */
final class Latencies {
  private final Map<String, List<Long>> series = new LinkedHashMap<>();

  void add(String name, long millis) {
    series.computeIfAbsent(name, n -> new ArrayList<>()).add(millis);
  }

  static long percentile(List<Long> values, double p) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int rank = (int) Math.ceil(p / 100 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  String report(String title) {
    StringBuilder out = new StringBuilder(title).append('\n');
    series.forEach((name, values) -> out.append(String.format(Locale.ROOT,
        "  %-38s n=%2d  median %5d ms  p95 %5d ms  min %5d  max %5d%n", name, values.size(),
        percentile(values, 50), percentile(values, 95), percentile(values, 0.0001), percentile(values, 100))));
    return out.toString();
  }
}
