package dev.rollout.activities.notify.slack;

import dev.rollout.activities.notify.JsonPost;
import dev.rollout.activities.notify.Message;
import dev.rollout.activities.notify.NotificationSender;
import dev.rollout.activities.support.Secrets;
import dev.rollout.plan.Notifier;
import dev.rollout.plan.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A Slack incoming webhook: {@code text} for notifications, a section block for the message. */
public class SlackSender implements NotificationSender<Notifier.Slack> {

  private final Secrets secrets;
  private final JsonPost post;

  public SlackSender(Secrets secrets, JsonPost post) {
    this.secrets = secrets;
    this.post = post;
  }

  @Override
  public Class<Notifier.Slack> type() {
    return Notifier.Slack.class;
  }

  @Override
  public void send(Notifier.Slack spec, Message m) throws Exception {
    String headline = icon(m.severity()) + " *" + escaped(m.title()) + "* (" + escaped(m.rolloutId()) + ")";
    String text = escaped(m.text());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("text", headline + "\n" + text);
    body.put("blocks", List.of(
        Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", headline)),
        Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", text))));
    // Incoming webhooks are bound to a channel; legacy ones still honour an override.
    if (spec.channel() != null) body.put("channel", spec.channel());
    post.post(secrets.require(spec.urlSecret()), body, null);
  }

  /**
   * Slack's escaping of message text: {@code &}, {@code <} and {@code >}. A comment or a plan
   * message then cannot mention {@code <!channel>}, a user, or hide a link.
   */
  static String escaped(String text) {
    return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String icon(Severity severity) {
    return switch (severity) {
      case INFO -> ":information_source:";
      case WARNING -> ":warning:";
      case CRITICAL -> ":rotating_light:";
    };
  }
}
