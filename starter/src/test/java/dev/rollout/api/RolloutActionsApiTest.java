package dev.rollout.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.server.RolloutServerTest;
import dev.rollout.server.TestPlans;
import dev.rollout.server.TestTokens;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** The steering endpoints (reject, confirm, pause, resume, skip-bake, decide) and the listing. */
@RolloutServerTest
class RolloutActionsApiTest {
  @Autowired TestRestTemplate http;

  @Test
  void rejectingTheApprovalRollsTheRolloutBack() {
    String id = started("orders", "1s");
    assertThat(post(id, "reject", "bob", Map.of("role", "sre", "comment", "not today")).getStatusCode())
        .isEqualTo(HttpStatus.OK);
    Map<?, ?> done = Api.awaitState(http, id, "ROLLED_BACK");
    assertThat(done.get("result").toString()).contains("not today");
  }

  @Test
  void anSreCanSkipALongBake() {
    String id = started("inventory", "1h");
    post(id, "approve", "bob", Map.of("role", "sre"));
    Api.awaitState(http, id, "BAKING");
    ResponseEntity<Map> skipped = post(id, "skip-bake", "bob", Map.of("role", "sre", "comment", "looks fine"));
    assertThat(skipped.getStatusCode()).isEqualTo(HttpStatus.OK);
    Api.awaitState(http, id, "COMPLETED");
  }

  @Test
  void pauseAndResumeAreRecordedWithTheCaller() {
    String id = started("billing", "1s");
    assertThat(post(id, "pause", "dave", Map.of("comment", "incident")).getStatusCode())
        .isEqualTo(HttpStatus.OK);
    assertThat(post(id, "resume", "dave", Map.of("role", "sre")).getStatusCode()).isEqualTo(HttpStatus.OK);
    Map<?, ?> status = http.getForObject("/rollouts/" + id, Map.class);
    assertThat(status.get("decisions").toString()).contains("dave");
    abort(id);
  }

  @Test
  void actionsTheRolloutIsNotWaitingForAreRefused() {
    String id = started("shipping", "1s");
    for (var action :
        List.of(
            Map.entry("confirm", Map.of("role", "sre", "item", "Security audit passed")),
            Map.entry("decide", Map.of("choice", "CONTINUE")),
            Map.entry("skip-bake", Map.of("role", "sre")))) {
      ResponseEntity<Map> refused = post(id, action.getKey(), "bob", action.getValue());
      assertThat(refused.getStatusCode()).as(action.getKey()).isEqualTo(HttpStatus.CONFLICT);
      assertThat(refused.getBody()).as(action.getKey()).containsEntry("type", "urn:rollout:problem:refused");
    }
    abort(id);
    ResponseEntity<Map> ended = post(id, "approve", "bob", Map.of("role", "sre"));
    assertThat(ended.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
    assertThat(ended.getBody().get("detail").toString()).contains("ended");
  }

  @Test
  void listsRunningAndFinishedRolloutsFilteredByTargetAndState() {
    String running = started("catalog", "1s");
    String finished = started("reviews", "1s");
    abort(finished);

    List<Map<String, Object>> all = http.getForObject("/rollouts", List.class);
    assertThat(all).extracting(r -> r.get("rolloutId")).contains(running, finished);

    List<Map<String, Object>> byTarget = http.getForObject("/rollouts?target=catalog/test", List.class);
    assertThat(byTarget).extracting(r -> r.get("rolloutId")).containsExactly(running);
    assertThat(byTarget.get(0)).containsEntry("state", "WAITING_FOR_APPROVAL");

    List<Map<String, Object>> rolledBack = http.getForObject("/rollouts?state=rolled_back", List.class);
    assertThat(rolledBack).extracting(r -> r.get("rolloutId")).contains(finished).doesNotContain(running);

    ResponseEntity<Map> badState = http.getForEntity("/rollouts?state=SLEEPING", Map.class);
    assertThat(badState.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(badState.getBody().get("detail").toString()).contains("WAITING_FOR_APPROVAL");
    abort(running);
  }

  String started(String service, String bake) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.parseMediaType("application/yaml"));
    headers.setBearerAuth(TestTokens.of("alice"));
    ResponseEntity<Map> r =
        http.exchange("/rollouts", HttpMethod.POST,
            new HttpEntity<>(TestPlans.approvalPlan(service, bake), headers), Map.class);
    assertThat(r.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    String id = TestPlans.rolloutId(service);
    Api.awaitState(http, id, "WAITING_FOR_APPROVAL");
    return id;
  }

  ResponseEntity<Map> post(String id, String action, String user, Object body) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    headers.setBearerAuth(TestTokens.of(user));
    return http.exchange(
        "/rollouts/" + id + "/" + action, HttpMethod.POST, new HttpEntity<>(body, headers), Map.class);
  }

  void abort(String id) {
    assertThat(post(id, "abort", "alice", Map.of("reason", "test over", "role", "sre")).getStatusCode())
        .isEqualTo(HttpStatus.OK);
    Api.awaitState(http, id, "ROLLED_BACK");
  }
}
