package dev.rollout.activities;

import dev.rollout.plan.Router;
import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface TrafficActivities {

  /** The percentage of traffic the router now sends to the new version (0-100). */
  double currentWeight(String rolloutId, String router, Router spec);

  /**
   * Sends {@code percent} of traffic to the new version and verifies it by reading back.
   * Absolute, so a retry is harmless; the compensation is the same call with the previous weight.
   */
  void setWeight(String rolloutId, String router, Router spec, double percent);
}
