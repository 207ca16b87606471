package dev.rollout.workflow;

import dev.rollout.activities.NotificationActivities;
import dev.rollout.plan.Notifications;
import dev.rollout.plan.Notifier;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Severity;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/** Sends notifications through the plan's notifiers. A failed notification is logged, never fatal. */
final class Notices {
  private static final Logger log = Workflow.getLogger(Notices.class);

  private final Plan plan;
  private final String rolloutId;
  /** Notifications sent {@link #sendAlongside alongside} other work and not yet done. */
  private final List<Promise<Boolean>> inFlight = new ArrayList<>();

  Notices(Plan plan, String rolloutId) {
    this.plan = plan;
    this.rolloutId = rolloutId;
  }

  /** The plan-wide notifier for an event, falling back to the default one; null for none. */
  String planNotifier(String forEvent) {
    Notifications n = plan.notifications();
    if (n == null) return null;
    return forEvent != null ? forEvent : n.notifier();
  }

  String onRollback() {
    return planNotifier(plan.notifications() == null ? null : plan.notifications().onRollback());
  }

  String onComplete() {
    return planNotifier(plan.notifications() == null ? null : plan.notifications().onComplete());
  }

  String fallback() {
    return planNotifier(null);
  }

  /** Sends through {@code notifier} (a declared name); does nothing when it is null. */
  void send(String notifier, Severity severity, String title, String message) {
    if (notifier == null) return;
    Notifier spec = plan.resources().notifiers().get(notifier);
    try {
      NotificationActivities n =
          ActivityStubs.notifier(NotificationActivities.class, "notify " + notifier + ": " + title);
      report(title, notifier, n.notify(rolloutId, notifier, spec, severity, title, message), null);
    } catch (ActivityFailure e) {
      report(title, notifier, null, e);
    }
  }

  /** Logs a notification that failed or was not delivered; a delivered one says nothing. */
  private static void report(String title, String notifier, Boolean delivered, Throwable failure) {
    if (failure != null) {
      log.warn("notification '{}' through {} failed: {}", title, notifier, failure.getMessage());
    } else if (!Boolean.TRUE.equals(delivered)) {
      log.warn("notification '{}' through {} was not delivered", title, notifier);
    }
  }

  /**
   * Sends like {@link #send} without waiting for it: the caller goes on at once (an undo must never
   * wait behind a notifier). Whoever sends it waits for {@link #allDone} before it reports done.
   */
  void sendAlongside(String notifier, Severity severity, String title, String message) {
    if (notifier == null) return;
    Notifier spec = plan.resources().notifiers().get(notifier);
    NotificationActivities n =
        ActivityStubs.notifier(NotificationActivities.class, "notify " + notifier + ": " + title);
    Promise<Boolean> sent = Async.function(n::notify, rolloutId, notifier, spec, severity, title, message);
    inFlight.add(sent.handle((delivered, failure) -> {
      report(title, notifier, delivered, failure);
      return delivered;
    }));
  }

  /** Whether every notification sent alongside other work is done (delivered or failed). */
  boolean allDone() {
    return inFlight.stream().allMatch(Promise::isCompleted);
  }
}
