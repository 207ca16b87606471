package dev.rollout.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.server.RolloutServerTest;
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
 * Every rollout of a target shares its rollout id; each start is a new run. An earlier run's ended
 * status (what was undone, the backup it restored, how it ended) and its audit stay readable by run
 * id after the next run of the same target started — on the embedded test server, which answers no
 * visibility queries.
 */
@RolloutServerTest
class RolloutRunsApiTest {
  @Autowired TestRestTemplate http;
  @Autowired WorkflowClient client;

  static final String ID = "rollout-runs-history.test";

  /**
   * Sends all traffic to v2, backs up a database, runs its contract migration, bakes an hour. After the
   * contract, a rollback sends traffic back and the restore waits for a person.
   */
  static final String PLAN = """
      apiVersion: rollout.dev/v1
      name: runs-history-v2
      version: 2.0.0
      targets:
        - service: runs-history
          environment: test
      roles: [sre]
      resources:
        routers:
          runs-history-edge:
            type: proxy
            adminUrl: http://127.0.0.1:9/admin
        databases:
          runs-history-db:
            connection: RUNS_HISTORY_DB
            migrations: filesystem:db/migration/runs-history
            afterContract: rollback-safe
      phases:
        - name: canary
          steps:
            - { kind: traffic, name: all to v2, router: runs-history-edge, percent: 100 }
            - { kind: backup, database: runs-history-db }
            - { kind: migrate, name: drop old column, database: runs-history-db, phase: contract, targetVersion: "2" }
          bake: 1h
      """;

  @Test
  void anEarlierRunsUndosRestoredBackupAndAuditStayReadableAfterTheNextRunStarted() {
    // Run 1: cancelled through Temporal (as from the Web UI): traffic goes back, the restore waits
    // for a person, who decides it; the rollout ends and Temporal closes it as Canceled.
    start();
    Api.awaitState(http, ID, "BAKING");
    client.newUntypedWorkflowStub(ID).cancel();
    Map<?, ?> blocked = Api.awaitState(http, ID, "ROLLBACK_BLOCKED");
    String restoreId = ((List<Map<String, Object>>) blocked.get("undos")).stream()
        .filter(u -> "NEEDS_DECISION".equals(u.get("status"))).map(u -> (String) u.get("id")).findFirst().orElseThrow();
    assertThat(post("undos/" + restoreId, Map.of("action", "RETRY", "role", "sre", "reason", "restore it")).getStatusCode())
        .isEqualTo(HttpStatus.OK);
    Map<?, ?> first = Api.awaitState(http, ID, "ROLLED_BACK");

    // Run 2 on the same target: now the newest run.
    start();
    Api.awaitState(http, ID, "BAKING");

    List<Map<String, Object>> runs = http.getForObject("/rollouts/" + ID + "/runs", List.class);
    assertThat(runs).hasSize(2);
    Map<String, Object> second = runs.get(0);
    Map<String, Object> earlier = runs.get(1);
    assertThat(second).containsEntry("execution", "RUNNING").containsEntry("state", "BAKING")
        .containsEntry("latest", true).containsEntry("closedAt", null);
    assertThat(earlier).containsEntry("execution", "CANCELED").containsEntry("state", "ROLLED_BACK")
        .containsEntry("latest", false).containsEntry("startedBy", "alice");
    assertThat(earlier.get("closedAt")).isNotNull();
    assertThat(earlier.get("runId")).isNotEqualTo(second.get("runId"));

    // The newest run is what GET shows; the earlier one is read by its run id, as it ended.
    assertThat(http.getForObject("/rollouts/" + ID, Map.class)).containsEntry("state", "BAKING");
    Map<?, ?> old = http.getForObject("/rollouts/" + ID + "?runId=" + earlier.get("runId"), Map.class);
    assertThat(old.get("state")).isEqualTo("ROLLED_BACK");
    assertThat(old.get("result").toString()).contains("operator abort");
    assertThat(old.get("undos")).isEqualTo(first.get("undos"));
    List<Map<String, Object>> undos = (List<Map<String, Object>>) old.get("undos");
    assertThat(undos).extracting(u -> ((Map<?, ?>) u.get("undo")).get("kind"), u -> u.get("status"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("traffic-to-stable", "DONE"),
            org.assertj.core.groups.Tuple.tuple("restore-backup", "DONE"));
    assertThat(undos.get(1).get("description").toString())
        .contains("restore runs-history-db from", "every write since then is lost");

    ResponseEntity<String> audit = http.getForEntity("/rollouts/" + ID + "/audit?runId=" + earlier.get("runId"), String.class);
    assertThat(audit.getBody()).contains("\"runId\":\"" + earlier.get("runId") + "\"", "\"action\":\"start\"",
            "\"action\":\"retryUndo\"", "restore it")
        .doesNotContain((String) second.get("runId"));

    ResponseEntity<Map> unknown = http.getForEntity("/rollouts/" + ID + "?runId=0b4c1a42-0000-4000-8000-000000000000", Map.class);
    assertThat(unknown.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    assertThat(unknown.getBody().get("detail").toString()).contains("has no run", "/runs");
    assertThat(http.getForEntity("/rollouts/" + ID + "?runId=not-a-run", Map.class).getStatusCode())
        .isEqualTo(HttpStatus.NOT_FOUND);

    // Run 2 ends too: both runs now read as ended, each its own way.
    // This time the person keeps the data: the restore is skipped.
    assertThat(post("abort", Map.of("reason", "test over", "role", "sre")).getStatusCode()).isEqualTo(HttpStatus.OK);
    Map<?, ?> blockedAgain = Api.awaitState(http, ID, "ROLLBACK_BLOCKED");
    String secondRestore = ((List<Map<String, Object>>) blockedAgain.get("undos")).stream()
        .filter(u -> "NEEDS_DECISION".equals(u.get("status"))).map(u -> (String) u.get("id")).findFirst().orElseThrow();
    assertThat(post("undos/" + secondRestore, Map.of("action", "SKIP", "role", "sre", "reason", "keep the data")).getStatusCode())
        .isEqualTo(HttpStatus.OK);
    assertThat(Api.awaitState(http, ID, "ROLLED_BACK").get("result").toString()).contains("keep the data");
    assertThat(http.getForObject("/rollouts/" + ID + "?runId=" + earlier.get("runId"), Map.class).get("result").toString())
        .doesNotContain("keep the data");
    List<Map<String, Object>> after = http.getForObject("/rollouts/" + ID + "/runs", List.class);
    assertThat(after).extracting(r -> r.get("execution"), r -> r.get("state"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("COMPLETED", "ROLLED_BACK"),
            org.assertj.core.groups.Tuple.tuple("CANCELED", "ROLLED_BACK"));
    assertThat(http.getForEntity("/rollouts/rollout-never-ran.test/runs", Map.class).getStatusCode())
        .isEqualTo(HttpStatus.NOT_FOUND);
  }

  private void start() {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.parseMediaType("application/yaml"));
    headers.setBearerAuth(TestTokens.of("alice"));
    ResponseEntity<Map> r = http.exchange("/rollouts", HttpMethod.POST, new HttpEntity<>(PLAN, headers), Map.class);
    assertThat(r.getStatusCode()).as(String.valueOf(r.getBody())).isEqualTo(HttpStatus.CREATED);
  }

  private ResponseEntity<Map> post(String action, Object body) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    headers.setBearerAuth(TestTokens.of("alice"));
    return http.exchange("/rollouts/" + ID + "/" + action, HttpMethod.POST, new HttpEntity<>(body, headers), Map.class);
  }
}
