package dev.rollout.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.server.RolloutServerTest;
import dev.rollout.server.TestPlans;
import dev.rollout.server.TestTokens;
import io.temporal.client.WorkflowClient;
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

/**
 * {@code POST /rollouts/{id}/recover}: a rollout an admin terminated in Temporal (its rollback
 * skipped) is rolled back by a recovery run of the same id; anything else is refused.
 */
@RolloutServerTest
class RecoverApiTest {
  @Autowired TestRestTemplate http;
  @Autowired WorkflowClient client;

  @Test
  void aTerminatedRolloutIsRecoveredOnceAndItsTargetStartsAgain() {
    String id = started("recover-api");
    assertThat(post(id, "approve", "bob", Map.of("role", "sre")).getStatusCode()).isEqualTo(HttpStatus.OK);
    Api.awaitState(http, id, "BAKING");

    ResponseEntity<Map> running = recover(id, "alice");
    assertThat(running.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
    assertThat(running.getBody().get("detail").toString()).contains("only a rollout Temporal terminated").contains("running");

    client.newUntypedWorkflowStub(id).terminate("terminated by an admin in the Web UI");
    ResponseEntity<Map> recovered = recover(id, "alice");
    assertThat(recovered.getStatusCode()).isEqualTo(HttpStatus.OK);
    Map<?, ?> done = Api.awaitState(http, id, "ROLLED_BACK");
    assertThat(done.get("decisions").toString()).contains("alice (sre)").contains("recovered terminated run");
    assertThat(done.get("result").toString()).contains("recovered by alice (sre)");
    assertThat((List<Map<String, Object>>) done.get("undos")).isNotEmpty()
        .allSatisfy(u -> assertThat(u.get("status")).isEqualTo("DONE"));

    ResponseEntity<Map> again = recover(id, "alice");
    assertThat(again.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
    assertThat(again.getBody().get("detail").toString()).contains("already recovered");

    List<Map<String, Object>> runs = http.getForObject("/rollouts/" + id + "/runs", List.class);
    assertThat(runs).extracting(r -> r.get("execution")).containsExactly("COMPLETED", "TERMINATED");
    assertThat(runs.get(0).get("state")).isEqualTo("ROLLED_BACK");

    // The terminated run's lock was ended: the next rollout of the target starts.
    started("recover-api");
    assertThat(post(id, "abort", "alice", Map.of("reason", "test over", "role", "sre")).getStatusCode())
        .isEqualTo(HttpStatus.OK);
    Api.awaitState(http, id, "ROLLED_BACK");
  }

  @Test
  void aCompletedRolloutIsNotRecovered() {
    String id = started("recover-done");
    assertThat(post(id, "abort", "alice", Map.of("reason", "test over", "role", "sre")).getStatusCode())
        .isEqualTo(HttpStatus.OK);
    Api.awaitState(http, id, "ROLLED_BACK");
    ResponseEntity<Map> refused = recover(id, "alice");
    assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
    assertThat(refused.getBody().get("detail").toString()).contains("not terminated");
  }

  private ResponseEntity<Map> recover(String id, String user) {
    return post(id, "recover", user, Map.of("reason", "terminated by mistake", "role", "sre"));
  }

  private String started(String service) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.parseMediaType("application/yaml"));
    headers.setBearerAuth(TestTokens.of("alice"));
    ResponseEntity<Map> r = http.exchange("/rollouts", HttpMethod.POST,
        new HttpEntity<>(TestPlans.approvalPlan(service, "1h"), headers), Map.class);
    assertThat(r.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    String id = TestPlans.rolloutId(service);
    Api.awaitState(http, id, "WAITING_FOR_APPROVAL");
    return id;
  }

  private ResponseEntity<Map> post(String id, String action, String user, Object body) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    headers.setBearerAuth(TestTokens.of(user));
    return http.exchange("/rollouts/" + id + "/" + action, HttpMethod.POST, new HttpEntity<>(body, headers), Map.class);
  }
}
