package dev.rollout.activities;

import dev.rollout.plan.Notifier;
import dev.rollout.plan.Severity;
import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface NotificationActivities {

  /**
   * Sends a notification. Returns false (and logs) when it could not be delivered: a notification
   * never fails or rolls back a rollout.
   */
  boolean notify(
      String rolloutId, String notifier, Notifier spec, Severity severity, String title, String message);
}
