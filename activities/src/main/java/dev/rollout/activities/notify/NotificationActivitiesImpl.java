package dev.rollout.activities.notify;

import dev.rollout.activities.NotificationActivities;
import dev.rollout.activities.support.Heartbeat;
import dev.rollout.activities.support.Registry;
import dev.rollout.plan.Notifier;
import dev.rollout.plan.Severity;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends through whichever notifier the plan declares; a failure is logged and returns false. */
public class NotificationActivitiesImpl implements NotificationActivities {

  private static final Logger log = LoggerFactory.getLogger(NotificationActivitiesImpl.class);

  private final Registry<NotificationSender<?>> senders;
  private final Clock clock;

  public NotificationActivitiesImpl(List<? extends NotificationSender<?>> senders, Clock clock) {
    this.senders = new Registry<>("notifier", senders, NotificationSender::type);
    this.clock = clock;
  }

  @Override
  @SuppressWarnings("unchecked")
  public boolean notify(String rolloutId, String notifier, Notifier spec, Severity severity, String title, String message) {
    try {
      String dedupKey = Heartbeat.current().idempotencyKey().orElse(rolloutId + "/" + notifier + "/" + title);
      Message m = new Message(
          rolloutId, notifier, severity == null ? Severity.INFO : severity, title, message, clock.instant(), dedupKey);
      ((NotificationSender<Notifier>) senders.forSpec(spec)).send(spec, m);
      return true;
    } catch (Exception e) {
      // Never fail or roll back a rollout over a notification; say why in the log.
      log.warn("{}: notification '{}' through '{}' was not delivered: {}", rolloutId, title, notifier, e.getMessage());
      return false;
    }
  }
}
