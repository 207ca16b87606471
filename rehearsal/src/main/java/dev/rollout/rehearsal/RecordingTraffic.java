package dev.rollout.rehearsal;

import dev.rollout.activities.TrafficActivities;
import dev.rollout.plan.Router;

/** Keeps each router's weight (0 until set). */
public final class RecordingTraffic implements TrafficActivities {
  private final RehearsalWorld world;

  public RecordingTraffic(RehearsalWorld world) {
    this.world = world;
  }

  @Override
  public double currentWeight(String rolloutId, String router, Router spec) {
    world.record("traffic", "currentWeight", router, router);
    return world.weight(router);
  }

  @Override
  public void setWeight(String rolloutId, String router, Router spec, double percent) {
    world.record("traffic", "setWeight", router, router + " " + RehearsalFormat.percent(percent));
    world.weights.put(router, percent);
  }
}
