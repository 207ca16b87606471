package dev.rollout.rehearsal;

import dev.rollout.activities.HealthActivities;
import java.time.Duration;

/** Every probe is healthy unless the scenario fails or hangs it. */
public final class RecordingHealth implements HealthActivities {
  private final RehearsalWorld world;

  public RecordingHealth(RehearsalWorld world) {
    this.world = world;
  }

  @Override
  public HealthResult probe(String url, int expectStatus, int failureThreshold, Duration interval, Duration timeout) {
    world.record("health", "probe", url, url);
    return new HealthResult(true, 1, expectStatus, "rehearsal");
  }
}
