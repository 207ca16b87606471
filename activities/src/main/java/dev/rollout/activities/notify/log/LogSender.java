package dev.rollout.activities.notify.log;

import dev.rollout.activities.notify.Message;
import dev.rollout.activities.notify.NotificationSender;
import dev.rollout.plan.Notifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes the notification to the worker's log: the default for local runs. */
public class LogSender implements NotificationSender<Notifier.Log> {

  private static final Logger log = LoggerFactory.getLogger("dev.rollout.notifications");

  @Override
  public Class<Notifier.Log> type() {
    return Notifier.Log.class;
  }

  @Override
  public void send(Notifier.Log spec, Message m) {
    switch (m.severity()) {
      case CRITICAL -> log.error("[{}] {}: {}", m.rolloutId(), m.title(), m.text());
      case WARNING -> log.warn("[{}] {}: {}", m.rolloutId(), m.title(), m.text());
      default -> log.info("[{}] {}: {}", m.rolloutId(), m.title(), m.text());
    }
  }
}
