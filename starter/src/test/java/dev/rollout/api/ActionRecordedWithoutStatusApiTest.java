package dev.rollout.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.cli.Run;
import dev.rollout.server.RolloutServerTest;
import dev.rollout.server.StatusReadFaults;
import dev.rollout.server.TestPlans;
import dev.rollout.server.TestTokens;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * A person's action the rollout accepted, when only the status read right after it fails (the
 * worker did not answer that query in time): the answer says the action was recorded, with the
 * action's own brief, never an error that would make the person repeat it.
 */
@RolloutServerTest
class ActionRecordedWithoutStatusApiTest {
  @Autowired TestRestTemplate http;
  @Autowired StatusReadFaults faults;
  @LocalServerPort int port;

  @Test
  void aPauseWhoseStatusReadFailsIsAnsweredAsRecordedAndItsRepeatIsRefusedAsAlreadyPaused() {
    String id = started("recpause");
    faults.afterNextUpdate(id, new StatusReadFaults.TimesOut());

    ResponseEntity<Map> paused = post(id, "pause", "dave", Map.of("comment", "incident"));

    assertThat(faults.met(id)).as("the status read after the pause failed").isTrue();
    assertThat(paused.getStatusCode()).as("%s", paused.getBody()).isEqualTo(HttpStatus.OK);
    Map<String, Object> body = map(paused.getBody());
    assertThat(body).containsEntry("recorded", true).containsEntry("action", "pause").containsEntry("rolloutId", id);
    assertThat((String) body.get("runId")).isNotBlank();
    // The brief as the pause left it: where a full status has these fields.
    assertThat(body).containsEntry("phase", "canary").containsEntry("phaseIndex", 0);
    // A pause takes effect before the next step: the rollout still waits for its approval.
    assertThat(body).containsEntry("state", "WAITING_FOR_APPROVAL");
    assertThat(body).doesNotContainKeys("decisions", "undos", "type");
    Map<String, Object> unavailable = map(body.get("statusUnavailable"));
    assertThat(unavailable).containsEntry("waitedFor", "the status of rollout '" + id + "' after the pause")
        .containsEntry("deadlineSeconds", 10);
    assertThat(unavailable.get("reason")).isEqualTo("reading the status of rollout '" + id
        + "' after the pause failed within its 10 s deadline: DEADLINE_EXCEEDED: injected: the worker did not answer the status query in time");

    // It happened: the rollout shows the pause, and repeating it is refused.
    Map<?, ?> status = http.getForObject("/rollouts/" + id, Map.class);
    assertThat(status.get("decisions").toString()).contains("dave", "paused", "incident");
    ResponseEntity<Map> again = post(id, "pause", "dave", Map.of("comment", "incident"));
    assertThat(again.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
    assertThat(again.getBody().get("detail").toString()).contains("already paused");

    abort(id);
  }

  @Test
  @SuppressWarnings("unchecked")
  void anApprovalWhoseStatusReadFailsIsRecordedCountedAndItsRepeatAnswersTheFullStatus() {
    String id = started("recapprove");
    faults.afterNextUpdate(id, new StatusReadFaults.TimesOut());

    ResponseEntity<Map> approved = post(id, "approve", "bob", Map.of("role", "sre", "comment", "go"));

    assertThat(faults.met(id)).isTrue();
    assertThat(approved.getStatusCode()).isEqualTo(HttpStatus.OK);
    Map<String, Object> body = map(approved.getBody());
    assertThat(body).containsEntry("recorded", true).containsEntry("action", "approve")
        .containsEntry("state", "WAITING_FOR_APPROVAL");
    Map<String, Object> waitingFor = map(body.get("waitingFor"));
    assertThat((List<Object>) waitingFor.get("approvedBy")).containsExactly(Map.of("role", "sre", "user", "bob"));

    // Counted: the rollout goes on to its bake.
    Api.awaitState(http, id, "BAKING");
    // The same approval again is the same Update: applied once, answered with the whole status.
    ResponseEntity<Map> again = post(id, "approve", "bob", Map.of("role", "sre", "comment", "go",
        "waitId", waitingFor.get("id")));
    assertThat(again.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(map(again.getBody())).doesNotContainKey("recorded").containsKey("decisions");
    assertThat(again.getBody().get("decisions").toString()).containsOnlyOnce("approved entry approval");

    abort(id);
  }

  @Test
  void theCliSaysAPauseWasRecordedWhenTheStatusReadAfterItFailsAndExitsZero() {
    String id = started("reccli");
    faults.afterNextUpdate(id, new StatusReadFaults.TimesOut());

    Run pause = cli("dave", "pause", id, "--comment", "incident");

    assertThat(pause.exitCode()).as(pause.toString()).isZero();
    assertThat(pause.out()).contains(
        "paused " + id + " (recorded): canary (phase 1) ",
        "the rollout's full status could not be read: reading the status of rollout '" + id + "' after the pause failed within its 10 s deadline: DEADLINE_EXCEEDED",
        "run `rollout status " + id + "` to see where it stands; the pause need not be repeated");
    assertThat(pause.err()).doesNotContain("Exception", "\tat ");
    Run again = cli("dave", "pause", id);
    assertThat(again.exitCode()).as(again.toString()).isEqualTo(1);
    assertThat(again.err() + again.out()).contains("already paused");

    abort(id);
  }

  @Test
  void whenTheStatusReadSucceedsAnActionAnswersTheWholeStatusAsBefore() {
    String id = started("recnormal");

    ResponseEntity<Map> paused = post(id, "pause", "dave", Map.of("comment", "look first"));

    assertThat(paused.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(map(paused.getBody())).doesNotContainKeys("recorded", "statusUnavailable", "action", "runId", "lastTransition")
        .containsEntry("rolloutId", id).containsEntry("phaseCount", 2).containsKeys("decisions", "undos", "transitions");
    assertThat(paused.getBody().get("decisions").toString()).contains("dave", "paused", "look first");
    Run resumed = cli("dave", "resume", id, "--role", "sre");
    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    assertThat(resumed.out()).startsWith("resumed " + id + ": canary (1/2) ").doesNotContain("recorded");

    abort(id);
  }

  @Test
  void theOpenApiDescriptionShowsBothAnswersOfAnAction() {
    Map<String, Object> docs = map(http.getForObject("/v3/api-docs", Map.class));
    Map<String, Object> pause = map(map(map(docs.get("paths")).get("/rollouts/{id}/pause")).get("post"));
    String ok = map(pause.get("responses")).get("200").toString();
    assertThat(ok).contains("#/components/schemas/RolloutStatus", "#/components/schemas/RecordedAction", "statusUnavailable");
    Map<String, Object> recorded = map(map(map(map(docs.get("components")).get("schemas")).get("RecordedAction")).get("properties"));
    assertThat(recorded).containsKeys("recorded", "action", "rolloutId", "runId", "state", "phase", "waitingFor",
        "statusUnavailable");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object json) {
    return (Map<String, Object>) json;
  }

  private Run cli(String user, String... args) {
    String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
        java.util.stream.Stream.of("--api", "http://127.0.0.1:" + port)).toArray(String[]::new);
    return Run.with(Map.of("ROLLOUT_TOKEN", TestTokens.of(user)), "", all);
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

  private void abort(String id) {
    assertThat(post(id, "abort", "alice", Map.of("reason", "test over", "role", "sre")).getStatusCode())
        .isEqualTo(HttpStatus.OK);
    Api.awaitState(http, id, "ROLLED_BACK");
  }
}
