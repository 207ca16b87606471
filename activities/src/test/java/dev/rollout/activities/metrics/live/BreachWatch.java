package dev.rollout.activities.metrics.live;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * An independent observer: polls Prometheus every 25 ms and records when the error rate first shows
 * above 1 % there, the moment the breach became visible to anyone asking Prometheus.
 */
final class BreachWatch {
  private BreachWatch() {}

  static CompletableFuture<Instant> start(LivePrometheus prometheus, String service) {
    return CompletableFuture.supplyAsync(() -> {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        if (prometheus.value(LivePrometheus.ERROR_RATE, service).filter(v -> v > 0.01).isPresent()) return Instant.now();
        LockSupport.parkNanos(Duration.ofMillis(25).toNanos());
      }
      throw new AssertionError("the breach never showed in Prometheus");
    });
  }
}
