package dev.rollout.activities;

import io.temporal.activity.ActivityInterface;
import java.time.Duration;

@ActivityInterface
public interface HealthActivities {

  /**
   * Probes {@code url} every {@code interval} (heartbeating) until it answers {@code expectStatus}
   * or {@code failureThreshold} consecutive probes fail or {@code timeout} passes.
   */
  HealthResult probe(
      String url, int expectStatus, int failureThreshold, Duration interval, Duration timeout);

  record HealthResult(boolean healthy, int probes, int lastStatus, String detail) {}
}
