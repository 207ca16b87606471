package dev.rollout.activities;

import dev.rollout.plan.FlagStore;
import io.temporal.activity.ActivityInterface;
import java.util.List;
import java.util.Map;

@ActivityInterface
public interface FlagActivities {

  /** The current values of {@code flags}; a flag that is not set maps to null. */
  Map<String, Object> readFlags(String rolloutId, String store, FlagStore spec, List<String> flags);

  /**
   * Sets the flags to exactly these values (null removes a flag). The compensation is the same
   * call with the values {@link #readFlags} returned.
   */
  void setFlags(String rolloutId, String store, FlagStore spec, Map<String, Object> values);
}
