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

/** Every endpoint over real HTTP, against the embedded Temporal server and the real workflow. */
@RolloutServerTest
class RolloutApiTest {
  @Autowired TestRestTemplate http;

  @Test
  void startsARolloutThatWaitsForApprovalThenCompletesOnceAnSreApproves() {
    String id = TestPlans.rolloutId("checkout");
    ResponseEntity<Map> started = start(TestPlans.approvalPlan("checkout", "1s"), "alice");
    assertThat(started.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    assertThat(started.getHeaders().getLocation()).hasToString("/rollouts/" + id);
    assertThat(started.getBody()).containsEntry("rolloutId", id).containsEntry("startedBy", "alice");

    Map<?, ?> waiting = Api.awaitState(http, id, "WAITING_FOR_APPROVAL");
    assertThat(waiting.get("phase")).isEqualTo("canary");

    ResponseEntity<Map> approved = post("/rollouts/" + id + "/approve", "bob", Map.of("role", "sre"));
    assertThat(approved.getStatusCode()).isEqualTo(HttpStatus.OK);
    Map<?, ?> done = Api.awaitState(http, id, "COMPLETED");
    assertThat(done.get("decisions").toString()).contains("bob");
  }

  @Test
  void aSecondRolloutOnABusyTargetIsRefusedNamingTheRunningOne() {
    String plan = TestPlans.approvalPlan("payments", "1s");
    assertThat(start(plan, "alice").getStatusCode()).isEqualTo(HttpStatus.CREATED);
    ResponseEntity<Map> second = start(plan, "carol");
    assertThat(second.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
    assertThat(second.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(second.getBody())
        .containsEntry("type", "urn:rollout:problem:busy-target")
        .containsEntry("runningRollout", TestPlans.rolloutId("payments"));
    abort("payments");
  }

  @Test
  void aPlanOverlappingARunningRolloutsTargetIsRefusedNamingTheRolloutHoldingIt() {
    String holder = TestPlans.rolloutId("ledger");
    assertThat(start(TestPlans.approvalPlan("ledger", "1s"), "alice").getStatusCode()).isEqualTo(HttpStatus.CREATED);
    Api.awaitState(http, holder, "WAITING_FOR_APPROVAL");

    // [ledger/staging, ledger/test] has another workflow id than [ledger/test], but shares its target
    ResponseEntity<Map> overlapping = start(TestPlans.stagingThenTestPlan("ledger"), "carol");

    assertThat(overlapping.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
    assertThat(overlapping.getBody())
        .containsEntry("type", "urn:rollout:problem:busy-target")
        .containsEntry("runningRollout", holder)
        .containsEntry("lockedTarget", "ledger/test");
    assertThat(overlapping.getBody().get("detail").toString()).contains("ledger/test is locked by", holder);
    assertThat(get("/rollouts/rollout-ledger.staging+ledger.test").getStatusCode())
        .as("nothing was started").isEqualTo(HttpStatus.NOT_FOUND);
    abort("ledger");
  }

  @Test
  void anInvalidPlanIsRefusedWithEveryProblemLocated() {
    ResponseEntity<Map> response =
        http.exchange("/rollouts?source=plans/broken.yaml", HttpMethod.POST,
            yaml(TestPlans.INVALID_PERCENT, "alice"), Map.class);
    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
    assertThat(response.getBody()).containsEntry("type", "urn:rollout:problem:invalid-plan");
    List<Map<String, Object>> problems = (List<Map<String, Object>>) response.getBody().get("problems");
    assertThat(problems).isNotEmpty();
    assertThat(problems.get(0))
        .containsEntry("source", "plans/broken.yaml")
        .containsEntry("line", 18)
        .containsEntry("path", "phases[0].steps[0].percent");
    assertThat(response.getBody().get("detail").toString()).contains("plans/broken.yaml:18:");
    assertThat(get("/rollouts/" + TestPlans.rolloutId("broken")).getStatusCode())
        .as("nothing was started")
        .isEqualTo(HttpStatus.NOT_FOUND);
  }

  @Test
  void anUnknownRolloutIs404ForReadsAndActions() {
    ResponseEntity<Map> status = get("/rollouts/rollout-nothing.here");
    assertThat(status.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    assertThat(status.getBody())
        .containsEntry("type", "urn:rollout:problem:not-found")
        .containsEntry("rolloutId", "rollout-nothing.here");
    assertThat(post("/rollouts/rollout-nothing.here/approve", "bob", Map.of("role", "sre"))
            .getStatusCode())
        .isEqualTo(HttpStatus.NOT_FOUND);
  }

  @Test
  void refusedApprovalsSayWhyInTheRolloutsWords() {
    String id = TestPlans.rolloutId("search");
    start(TestPlans.approvalPlan("search", "1s"), "alice");
    Api.awaitState(http, id, "WAITING_FOR_APPROVAL");

    ResponseEntity<Map> wrongRole =
        post("/rollouts/" + id + "/approve", "bob", Map.of("role", "release-manager"));
    assertThat(wrongRole.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(wrongRole.getBody()).containsEntry("type", "urn:rollout:problem:refused");
    assertThat(wrongRole.getBody().get("detail").toString()).contains("release-manager");

    ResponseEntity<Map> starterAlone = post("/rollouts/" + id + "/approve", "alice", Map.of("role", "sre"));
    assertThat(starterAlone.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(starterAlone.getBody().get("detail").toString()).contains("alice");

    assertThat(get("/rollouts/" + id).getBody()).containsEntry("state", "WAITING_FOR_APPROVAL");
    abort("search");
  }

  @Test
  void anApprovalNamesItsWaitAndARepeatedOneCountsOnceWhenSignedForTheToken() {
    String id = TestPlans.rolloutId("wait-once");
    start(TestPlans.approvalPlan("wait-once", "30s"), "alice");
    Map<?, ?> waiting = Api.awaitState(http, id, "WAITING_FOR_APPROVAL");
    String waitId = ((Map<?, ?>) waiting.get("waitingFor")).get("id").toString();

    ResponseEntity<Map> stale =
        post("/rollouts/" + id + "/approve", "bob", Map.of("role", "sre", "waitId", waitId + "-old"));
    assertThat(stale.getStatusCode()).as(String.valueOf(stale.getBody())).isEqualTo(HttpStatus.CONFLICT);
    assertThat(stale.getBody().get("detail").toString()).contains(waitId + "-old");

    Map<String, String> body = Map.of("role", "sre", "waitId", waitId, "comment", "green");
    ResponseEntity<Map> first = post("/rollouts/" + id + "/approve", "bob", body);
    ResponseEntity<Map> again = post("/rollouts/" + id + "/approve", "bob", body);
    assertThat(first.getStatusCode()).as(String.valueOf(first.getBody())).isEqualTo(HttpStatus.OK);
    assertThat(again.getStatusCode()).as("the same answer again is applied once, not refused")
        .isEqualTo(HttpStatus.OK);
    List<?> decisions = (List<?>) get("/rollouts/" + id).getBody().get("decisions");
    assertThat(decisions).filteredOn(d -> d.toString().contains("bob")).hasSize(1);
    abort("wait-once");
  }

  @Test
  void anUndoActionIsRefusedWhileTheRollbackIsNotBlocked() {
    String id = TestPlans.rolloutId("undo-early");
    start(TestPlans.approvalPlan("undo-early", "1s"), "alice");
    Api.awaitState(http, id, "WAITING_FOR_APPROVAL");

    ResponseEntity<Map> early = post("/rollouts/" + id + "/undos/u1", "bob", Map.of("action", "RETRY", "role", "sre"));
    assertThat(early.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
    assertThat(early.getBody().get("detail").toString()).contains("not blocked");
    ResponseEntity<Map> badAction = post("/rollouts/" + id + "/undos/u1", "bob", Map.of("action", "UNDO", "role", "sre"));
    assertThat(badAction.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    abort("undo-early");
  }

  @Test
  void aBodyWithoutItsRequiredFieldIs400NamingTheField() {
    ResponseEntity<Map> response = post("/rollouts/rollout-any.test/abort", "bob", Map.of());
    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(response.getBody().get("detail").toString()).contains("reason");
    ResponseEntity<Map> badChoice =
        post("/rollouts/rollout-any.test/decide", "bob", Map.of("choice", "MAYBE"));
    assertThat(badChoice.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(badChoice.getBody().get("detail").toString()).contains("MAYBE");
  }

  ResponseEntity<Map> start(String plan, String user) {
    return http.exchange("/rollouts", HttpMethod.POST, yaml(plan, user), Map.class);
  }

  ResponseEntity<Map> get(String path) {
    return http.getForEntity(path, Map.class);
  }

  ResponseEntity<Map> post(String path, String user, Object body) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    headers.setBearerAuth(TestTokens.of(user));
    return http.exchange(path, HttpMethod.POST, new HttpEntity<>(body, headers), Map.class);
  }

  void abort(String service) {
    String id = TestPlans.rolloutId(service);
    assertThat(post("/rollouts/" + id + "/abort", "alice", Map.of("reason", "test over", "role", "sre")).getStatusCode())
        .isEqualTo(HttpStatus.OK);
    Api.awaitState(http, id, "ROLLED_BACK");
  }

  static HttpEntity<String> yaml(String plan, String user) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.parseMediaType("application/yaml"));
    headers.setBearerAuth(TestTokens.of(user));
    return new HttpEntity<>(plan, headers);
  }

}
