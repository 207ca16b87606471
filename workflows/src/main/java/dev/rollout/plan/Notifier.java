package dev.rollout.plan;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * Where notifications go; the {@code type} picks the format. Each names the configuration entry
 * that holds its URL or key, which is a secret.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Notifier.Webhook.class, name = "webhook"),
  @JsonSubTypes.Type(value = Notifier.Slack.class, name = "slack"),
  @JsonSubTypes.Type(value = Notifier.PagerDuty.class, name = "pagerduty"),
  @JsonSubTypes.Type(value = Notifier.Log.class, name = "log"),
})
public sealed interface Notifier {

  List<String> TYPES = List.of("webhook", "slack", "pagerduty", "log");

  record Webhook(String urlSecret) implements Notifier {}

  record Slack(String urlSecret, String channel) implements Notifier {}

  record PagerDuty(String routingKeySecret, String urlSecret) implements Notifier {}

  /** Writes to the worker's log only; the default for local runs. */
  record Log() implements Notifier {}
}
