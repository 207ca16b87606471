package dev.rollout.demo;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * What the demo router measures, in Prometheus format at {@code /metrics}:
 *
 * <ul>
 *   <li>{@code demo_requests_total{version,status}}: every request by version and status;
 *   <li>{@code demo_request_duration_seconds{version}}: a latency histogram;
 *   <li>{@code demo_error_rate_percent{version}} and {@code demo_latency_p95_ms{version}}: the
 *       error rate and p95 latency over the recent window, which the demo plan's gates read.
 * </ul>
 */
public final class RouterMetrics {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, RecentRequests> recent = new ConcurrentHashMap<>();
  private final Duration window;
  private final LongSupplier clock;

  public RouterMetrics(Duration window) {
    this(window, System::currentTimeMillis);
  }

  RouterMetrics(Duration window, LongSupplier clock) {
    this.window = window;
    this.clock = clock;
  }

  /** Registers a version's gauges before its first request, so they read "no data", not absent. */
  public void register(String version) {
    recent.computeIfAbsent(version, this::newWindow);
  }

  public void record(String version, int status, Duration latency) {
    Counter.builder("demo.requests")
        .description("Requests served through the router")
        .tag("version", version)
        .tag("status", Integer.toString(status))
        .register(registry)
        .increment();
    Timer.builder("demo.request.duration")
        .description("Latency of requests through the router")
        .tag("version", version)
        .publishPercentileHistogram()
        .register(registry)
        .record(latency);
    recent.computeIfAbsent(version, this::newWindow).add(latency.toNanos() / 1e6, status >= 500);
  }

  private RecentRequests newWindow(String version) {
    RecentRequests requests = new RecentRequests(window.toMillis(), clock);
    Gauge.builder("demo.error.rate.percent", requests, RecentRequests::errorRatePercent)
        .description("Share of failed (5xx) requests over the recent window")
        .tag("version", version)
        .register(registry);
    Gauge.builder("demo.latency.p95.ms", requests, RecentRequests::p95LatencyMillis)
        .description("95th percentile latency over the recent window, in milliseconds")
        .tag("version", version)
        .register(registry);
    return requests;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  /** How many requests one version served since start, all statuses or only 5xx. */
  public long served(String version, boolean onlyErrors) {
    return Math.round(
        registry.find("demo.requests").tag("version", version).counters().stream()
            .filter(c -> !onlyErrors || c.getId().getTag("status").startsWith("5"))
            .mapToDouble(Counter::count)
            .sum());
  }

  /** The recent error rate of one version, as the gauge reports it. */
  public double errorRatePercent(String version) {
    RecentRequests requests = recent.get(version);
    return requests == null ? Double.NaN : requests.errorRatePercent();
  }
}
