package dev.rollout.rehearsal;

import dev.rollout.activities.NotificationActivities;
import dev.rollout.plan.Notifier;
import dev.rollout.plan.Severity;

/** Records each notification; a scripted failure shows that it never fails the rollout. */
public final class RecordingNotifications implements NotificationActivities {
  private final RehearsalWorld world;

  public RecordingNotifications(RehearsalWorld world) {
    this.world = world;
  }

  @Override
  public boolean notify(String rolloutId, String notifier, Notifier spec, Severity severity, String title, String message) {
    world.record("notification", "notify", notifier, notifier + " " + severity + " " + title);
    return true;
  }
}
