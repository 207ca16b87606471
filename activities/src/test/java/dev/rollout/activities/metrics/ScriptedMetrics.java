package dev.rollout.activities.metrics;

import dev.rollout.activities.MetricActivities.BoundGate;
import dev.rollout.activities.MetricActivities.BoundMetric;
import dev.rollout.activities.metrics.scrape.ScrapeProvider;
import dev.rollout.activities.metrics.scripted.ScriptedProvider;
import dev.rollout.activities.support.HttpClients;
import dev.rollout.plan.Comparison;
import dev.rollout.plan.Gate;
import dev.rollout.plan.MetricQuery;
import dev.rollout.plan.MetricSource;
import dev.rollout.plan.NoDataAction;
import dev.rollout.plan.Quantity;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Metric values a test sets while the activities read them, and counts of how often each was read. */
final class ScriptedMetrics {
  static final MetricSource SOURCE = new MetricSource.Scripted(Map.of());

  final Map<String, Double> values = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
  /** The scripted source answers from {@link #values}; scraped endpoints are read for real. */
  final MetricProviders providers = new MetricProviders(List.of(
      new ScriptedProvider((source, metric, at) -> {
        reads.computeIfAbsent(metric, m -> new AtomicInteger()).incrementAndGet();
        return values.get(metric);
      }),
      new ScrapeProvider(HttpClients.newClient(Duration.ofSeconds(5)), Duration.ofSeconds(5), Clock.systemUTC())));

  int reads(String metric) {
    AtomicInteger n = reads.get(metric);
    return n == null ? 0 : n.get();
  }

  static BoundMetric metric(String name, String unit) {
    return new BoundMetric(name, new MetricQuery("scripted", name, unit, null), SOURCE);
  }

  static BoundGate trigger(String name, String metric, String op, String threshold, Duration interval, NoDataAction noData) {
    Gate gate = new Gate(name, metric, Comparison.of(op), Quantity.parse(threshold), null, null, interval, noData);
    return new BoundGate(gate, metric(metric, ""), null);
  }
}
