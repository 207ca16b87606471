package dev.rollout.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.client.RolloutGauges;
import dev.rollout.server.RolloutServerTest;
import dev.rollout.server.TestPlans;
import dev.rollout.server.TestTokens;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/** A real rollout's phase and canary weight at /actuator/prometheus, read from its status. */
@RolloutServerTest
class RolloutGaugesApiTest {
  @Autowired TestRestTemplate http;
  @Autowired RolloutGauges gauges;

  @Test
  void phaseAndCanaryWeightFollowTheRollout() {
    String id = start("gauged");
    String row = "rollout_id=\"" + id + "\"";

    gauges.refresh();
    String scrape = scrape();
    assertThat(value(scrape, "rollout_phase", row)).isEqualTo(1.0);
    assertThat(value(scrape, "rollout_canary_weight_percent", row)).as("no traffic before the approval").isEqualTo(0.0);
    assertThat(value(scrape, "rollout_running", "state=\"WAITING_FOR_APPROVAL\"")).isGreaterThanOrEqualTo(1.0);

    assertThat(post(id, "approve", "bob", Map.of("role", "sre")).getStatusCode()).isEqualTo(HttpStatus.OK);
    Api.awaitState(http, id, "BAKING");
    gauges.refresh();
    assertThat(value(scrape(), "rollout_canary_weight_percent", row)).isEqualTo(10.0);

    assertThat(post(id, "abort", "alice", Map.of("reason", "test over", "role", "sre")).getStatusCode()).isEqualTo(HttpStatus.OK);
    Api.awaitState(http, id, "ROLLED_BACK");
    gauges.refresh();
    assertThat(scrape()).as("an ended rollout has no gauge rows").doesNotContain(row);
  }

  private String scrape() {
    return http.getForObject("/actuator/prometheus", String.class);
  }

  private static double value(String scrape, String metric, String label) {
    String line = scrape.lines().filter(l -> l.startsWith(metric + "{") && l.contains(label)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + metric + " with " + label));
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  private String start(String service) {
    HttpHeaders headers = TestTokens.as("alice");
    headers.setContentType(MediaType.parseMediaType("application/yaml"));
    var r = http.exchange("/rollouts", HttpMethod.POST,
        new HttpEntity<>(TestPlans.approvalPlan(service, "1h"), headers), Map.class);
    assertThat(r.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    String id = TestPlans.rolloutId(service);
    Api.awaitState(http, id, "WAITING_FOR_APPROVAL");
    return id;
  }

  private org.springframework.http.ResponseEntity<Map> post(String id, String action, String user, Object body) {
    HttpHeaders headers = TestTokens.as(user);
    headers.setContentType(MediaType.APPLICATION_JSON);
    return http.exchange("/rollouts/" + id + "/" + action, HttpMethod.POST, new HttpEntity<>(body, headers), Map.class);
  }
}
