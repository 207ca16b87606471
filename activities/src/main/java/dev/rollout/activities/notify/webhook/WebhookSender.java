package dev.rollout.activities.notify.webhook;

import dev.rollout.activities.notify.JsonPost;
import dev.rollout.activities.notify.Message;
import dev.rollout.activities.notify.NotificationSender;
import dev.rollout.activities.support.Secrets;
import dev.rollout.plan.Notifier;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A generic JSON webhook: {@code {"rolloutId","notifier","severity","title","message","at"}}, with
 * an {@code Idempotency-Key} header that is the same on every retry.
 */
public class WebhookSender implements NotificationSender<Notifier.Webhook> {

  private final Secrets secrets;
  private final JsonPost post;

  public WebhookSender(Secrets secrets, JsonPost post) {
    this.secrets = secrets;
    this.post = post;
  }

  @Override
  public Class<Notifier.Webhook> type() {
    return Notifier.Webhook.class;
  }

  @Override
  public void send(Notifier.Webhook spec, Message m) throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("rolloutId", m.rolloutId());
    body.put("notifier", m.notifier());
    body.put("severity", m.severity().name().toLowerCase());
    body.put("title", m.title());
    body.put("message", m.text());
    body.put("at", m.at().toString());
    post.post(secrets.require(spec.urlSecret()), body, m.dedupKey());
  }
}
