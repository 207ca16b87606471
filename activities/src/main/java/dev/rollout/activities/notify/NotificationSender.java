package dev.rollout.activities.notify;

import dev.rollout.plan.Notifier;

/**
 * One notification format ({@code notify/webhook}, {@code notify/slack}, …).
 *
 * @param <N> the notifier spec this sender serves
 */
public interface NotificationSender<N extends Notifier> {

  /** The spec type this sender serves; the registry picks a sender by it. */
  Class<N> type();

  /** Delivers the message or throws saying why not. */
  void send(N spec, Message message) throws Exception;
}
