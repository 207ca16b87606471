package dev.rollout.activities.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollout.activities.LocalHttpServer;
import dev.rollout.activities.notify.log.LogSender;
import dev.rollout.activities.notify.pagerduty.PagerDutySender;
import dev.rollout.activities.notify.slack.SlackSender;
import dev.rollout.activities.notify.webhook.WebhookSender;
import dev.rollout.activities.support.Secrets;
import dev.rollout.plan.Notifier;
import dev.rollout.plan.Severity;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each format against a real local HTTP server; the body is what the receiving service parses. */
class NotificationActivitiesImplTest {

  static final ObjectMapper JSON = new ObjectMapper();
  LocalHttpServer receiver;
  volatile int status = 200;
  NotificationActivitiesImpl notifications;

  @BeforeEach
  void start() throws Exception {
    receiver = new LocalHttpServer(() -> status);
    Secrets secrets = new Secrets(Map.of(
        "HOOK_URL", receiver.url("/hook"), "SLACK_URL", receiver.url("/slack"),
        "PD_URL", receiver.url("/v2/enqueue"), "PD_KEY", "routing-123"));
    JsonPost post = new JsonPost();
    notifications = new NotificationActivitiesImpl(
        List.of(new WebhookSender(secrets, post), new SlackSender(secrets, post), new PagerDutySender(secrets, post), new LogSender()),
        Clock.fixed(Instant.parse("2026-11-23T02:00:00Z"), ZoneOffset.UTC));
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  JsonNode lastBody() throws Exception {
    return JSON.readTree(receiver.received().get(receiver.received().size() - 1).body());
  }

  @Test
  void webhookPostsTheGenericJson() throws Exception {
    boolean sent = notifications.notify("r-42", "ops", new Notifier.Webhook("HOOK_URL"), Severity.WARNING, "Phase 2 started", "25% of traffic");

    assertThat(sent).isTrue();
    assertThat(receiver.received().get(0).path()).isEqualTo("/hook");
    assertThat(receiver.received().get(0).headers().get("Content-type")).containsExactly("application/json");
    assertThat(lastBody()).isEqualTo(JSON.readTree("""
        {"rolloutId":"r-42","notifier":"ops","severity":"warning","title":"Phase 2 started",
         "message":"25% of traffic","at":"2026-11-23T02:00:00Z"}"""));
  }

  @Test
  void slackGetsIncomingWebhookTextBlocksAndChannel() throws Exception {
    assertThat(notifications.notify("r-42", "alerts", new Notifier.Slack("SLACK_URL", "#alerts-critical"), Severity.CRITICAL, "Rolled back", "error rate 3%")).isTrue();

    JsonNode body = lastBody();
    assertThat(body.get("text").asText()).contains(":rotating_light:", "*Rolled back*", "r-42", "error rate 3%");
    assertThat(body.get("channel").asText()).isEqualTo("#alerts-critical");
    assertThat(body.get("blocks").get(1).get("text").get("text").asText()).isEqualTo("error rate 3%");
  }

  @Test
  void slackTextCannotMentionTheChannelOrHideALink() throws Exception {
    notifications.notify("r-42", "alerts", new Notifier.Slack("SLACK_URL", null), Severity.INFO,
        "<!channel> ship it", "approved: <!here> <https://evil.example|docs> & more");

    JsonNode body = lastBody();
    assertThat(body.get("text").asText()).doesNotContain("<!channel>").contains("&lt;!channel&gt;");
    assertThat(body.get("blocks").get(1).get("text").get("text").asText())
        .isEqualTo("approved: &lt;!here&gt; &lt;https://evil.example|docs&gt; &amp; more");
  }

  @Test
  void pagerDutyGetsAnEventsV2TriggerWithAStableDedupKey() throws Exception {
    var spec = new Notifier.PagerDuty("PD_KEY", "PD_URL");
    notifications.notify("r-42", "oncall", spec, Severity.CRITICAL, "Rolled back", "p95 above 800ms");
    notifications.notify("r-42", "oncall", spec, Severity.CRITICAL, "Rolled back", "p95 above 800ms");

    JsonNode body = lastBody();
    assertThat(body.get("routing_key").asText()).isEqualTo("routing-123");
    assertThat(body.get("event_action").asText()).isEqualTo("trigger");
    assertThat(body.at("/payload/severity").asText()).isEqualTo("critical");
    assertThat(body.at("/payload/source").asText()).isEqualTo("r-42");
    assertThat(body.at("/payload/summary").asText()).isEqualTo("Rolled back: p95 above 800ms");
    assertThat(JSON.readTree(receiver.received().get(0).body()).get("dedup_key"))
        .isEqualTo(body.get("dedup_key")); // a retry never opens a second incident
  }

  @Test
  void aFailedDeliveryOrAMissingSecretReturnsFalseAndNeverThrows() {
    status = 500;
    assertThat(notifications.notify("r-42", "ops", new Notifier.Webhook("HOOK_URL"), Severity.INFO, "t", "m")).isFalse();
    assertThat(notifications.notify("r-42", "ops", new Notifier.Webhook("NOT_CONFIGURED"), Severity.INFO, "t", "m")).isFalse();
    assertThat(notifications.notify("r-42", "log", new Notifier.Log(), Severity.INFO, "t", "m")).isTrue();
  }
}
