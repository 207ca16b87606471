package dev.rollout.activities.notify.pagerduty;

import dev.rollout.activities.notify.JsonPost;
import dev.rollout.activities.notify.Message;
import dev.rollout.activities.notify.NotificationSender;
import dev.rollout.activities.support.Secrets;
import dev.rollout.plan.Notifier;
import dev.rollout.plan.Severity;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PagerDuty Events API v2: a {@code trigger} event whose {@code dedup_key} is the same for every
 * retry, so PagerDuty opens one incident however often it is sent.
 */
public class PagerDutySender implements NotificationSender<Notifier.PagerDuty> {

  public static final String EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";

  private final Secrets secrets;
  private final JsonPost post;

  public PagerDutySender(Secrets secrets, JsonPost post) {
    this.secrets = secrets;
    this.post = post;
  }

  @Override
  public Class<Notifier.PagerDuty> type() {
    return Notifier.PagerDuty.class;
  }

  @Override
  public void send(Notifier.PagerDuty spec, Message m) throws Exception {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("summary", truncate(m.title() + ": " + m.text(), 1024));
    payload.put("source", m.rolloutId());
    payload.put("severity", severity(m.severity()));
    payload.put("timestamp", m.at().toString());
    payload.put("custom_details", Map.of("rolloutId", m.rolloutId(), "notifier", m.notifier(), "message", m.text()));
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("routing_key", secrets.require(spec.routingKeySecret()));
    event.put("event_action", "trigger");
    event.put("dedup_key", m.dedupKey());
    event.put("payload", payload);
    String url = spec.urlSecret() == null ? EVENTS_URL : secrets.require(spec.urlSecret());
    post.post(url, event, null);
  }

  private static String severity(Severity severity) {
    return switch (severity) {
      case INFO -> "info";
      case WARNING -> "warning";
      case CRITICAL -> "critical";
    };
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
