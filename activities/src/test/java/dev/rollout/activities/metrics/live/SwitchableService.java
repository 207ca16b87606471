package dev.rollout.activities.metrics.live;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in service Prometheus scrapes: serves Micrometer's {@code /metrics} and records a request
 * every 10 ms, a set share of them errors, each taking a set latency (+-25 %), on a stable and a
 * canary track. Tests switch them while it runs.
 * Its series carry {@code service=<name>}, so each test reads only its own.
 */
public final class SwitchableService implements AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HttpServer server;
  private final ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
  private final Counter ok;
  private final Counter errors;
  private final Timer latency;
  private final Timer canaryLatency;
  private final java.util.Random jitter = new java.util.Random(42);
  private volatile double errorRate;
  private volatile Duration requestTime = Duration.ofMillis(50);
  private volatile Duration canaryTime = Duration.ofMillis(50);
  private double errorDebt;

  public SwitchableService(int port, String service) {
    ok = Counter.builder("demo.requests").tag("service", service).tag("outcome", "ok").register(registry);
    errors = Counter.builder("demo.requests").tag("service", service).tag("outcome", "error").register(registry);
    latency = timer(service, "stable");
    canaryLatency = timer(service, "canary");
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("port " + port + " (ROLLOUT_SCRAPE_TARGET_PORT) is taken: another test run?", e);
    }
    server.createContext("/metrics", exchange -> {
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    load.scheduleAtFixedRate(this::serveOne, 0, 10, TimeUnit.MILLISECONDS);
  }

  private Timer timer(String service, String track) {
    return Timer.builder("demo.latency").tag("service", service).tag("track", track).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
  }

  /** The share of requests that fail from now on, 0 to 1. */
  public void errorRate(double share) {
    errorRate = share;
  }

  /** How long each stable request takes. */
  public void latency(Duration each) {
    requestTime = each;
  }

  public void canaryLatency(Duration each) {
    canaryTime = each;
  }

  private void serveOne() {
    errorDebt += errorRate;
    if (errorDebt >= 1) {
      errorDebt -= 1;
      errors.increment();
    } else {
      ok.increment();
    }
    // +-25 % noise, so the canary judge compares spread samples, not two constants
    latency.record(noisy(requestTime));
    canaryLatency.record(noisy(canaryTime));
  }

  private Duration noisy(Duration d) {
    return Duration.ofNanos((long) (d.toNanos() * (0.75 + 0.5 * jitter.nextDouble())));
  }

  @Override
  public void close() {
    load.shutdownNow();
    server.stop(0);
    registry.close();
  }
}
