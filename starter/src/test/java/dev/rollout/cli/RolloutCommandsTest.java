package dev.rollout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollout.demo.Eventually;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command that talks to the server, run against a real one (embedded Temporal, worker, API). */
class RolloutCommandsTest {

  static CliServer server;
  @TempDir Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    server = CliServer.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) server.close();
  }

  @Test
  void startsAPlanApprovedThroughTheApiAndWatchesItToCompletion() throws Exception {
    Run start = server.cli("pipeline", "start", server.plan(dir, "checkout", "1s").toString());
    assertThat(start.exitCode()).as(start.toString()).isZero();
    assertThat(start.out()).contains("started rollout-checkout.test", "follow it: rollout watch rollout-checkout.test");

    awaitState("rollout-checkout.test", "WAITING_FOR_APPROVAL");
    HttpResponse<String> approved = server.post("/rollouts/rollout-checkout.test/approve", "alice",
        "{\"role\": \"release-manager\", \"comment\": \"go\"}");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);

    Run watch = server.cli("pipeline", "watch", "rollout-checkout.test", "--interval", "PT0.2S");
    assertThat(watch.exitCode()).as(watch.toString()).isZero();
    assertThat(watch.out()).contains("canary (1/2)", "full (2/2)", "COMPLETED");
    assertThat(watch.out().strip()).endsWith("COMPLETED");
    assertThat(server.target.router().canaryPercent()).isEqualTo(100.0);

    Run status = server.cli("pipeline", "status", "rollout-checkout.test");
    assertThat(status.out()).contains("COMPLETED", "alice (release-manager) approved entry approval of phase canary — go");
  }

  @Test
  void watchPrintsEveryStateInOrderEvenThoseShorterThanItsPollInterval() throws Exception {
    assertThat(server.cli("pipeline", "start", server.plan(dir, "inventory", "1s").toString()).exitCode()).isZero();
    awaitState("rollout-inventory.test", "WAITING_FOR_APPROVAL");
    Thread approver = new Thread(() -> {
      try {
        server.post("/rollouts/rollout-inventory.test/approve", "alice", "{\"role\": \"release-manager\"}");
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    approver.start();
    // Polled every 20 s: the step, the 1 s bake and the second phase all pass between two polls.
    Run watch = server.cli("pipeline", "watch", "rollout-inventory.test", "--interval", "PT20S");
    approver.join(Duration.ofSeconds(30).toMillis());

    assertThat(watch.exitCode()).as(watch.toString()).isZero();
    assertThat(watch.out()).containsSubsequence(
        "canary (1/2) WAITING_FOR_APPROVAL · waiting for entry-approval",
        "canary (1/2) RUNNING_STEP · half to v2",
        "canary (1/2) BAKING",
        "full (2/2) RUNNING_STEP · all to v2",
        "full (2/2) COMPLETED");
    assertThat(watch.out().lines().filter(l -> l.contains("canary (1/2) BAKING")).count())
        .as("each transition printed once").isEqualTo(1);
    assertThat(watch.out().strip()).endsWith("COMPLETED");
  }

  @Test
  void aSecondRolloutOnABusyTargetIsRefusedAndAnAbortRollsTheFirstBack() throws Exception {
    Path plan = server.plan(dir, "payments", "1s");
    assertThat(server.cli("pipeline", "start", plan.toString()).exitCode()).isZero();
    awaitState("rollout-payments.test", "WAITING_FOR_APPROVAL");

    Run second = server.cli("pipeline", "start", plan.toString());
    assertThat(second.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(second.err()).contains("Target is busy", "rollout-payments.test");

    Run abort = server.cli("bob", "abort", "rollout-payments.test", "--reason", "wrong build", "--role", "sre");
    assertThat(abort.exitCode()).as(abort.toString()).isZero();
    assertThat(abort.out()).contains("aborted rollout-payments.test");
    Run watch = server.cli("bob", "watch", "rollout-payments.test", "--interval", "PT0.2S");
    assertThat(watch.out().strip()).endsWith("ROLLED_BACK");
  }

  @Test
  void startingALongPlanOnTheInMemoryServerWarnsAndSaysHowToRunDurably() throws Exception {
    Path longPlan = server.plan(dir, "ledger", "5h");
    Run start = server.cli("pipeline", "start", longPlan.toString());
    assertThat(start.exitCode()).as(start.toString()).isZero();
    assertThat(start.err()).contains("bakes for 5h", "EMBEDDED", "in memory", "docker compose up", "TEMPORAL_ADDRESS");

    Path shortPlan = server.plan(dir, "ledger-short", "1s");
    Run quiet = server.cli("pipeline", "start", shortPlan.toString());
    assertThat(quiet.err()).doesNotContain("EMBEDDED");
    for (String id : java.util.List.of("rollout-ledger.test", "rollout-ledger-short.test")) {
      awaitState(id, "WAITING_FOR_APPROVAL");
      assertThat(server.cli("bob", "abort", id, "--reason", "test over", "--role", "sre").exitCode()).isZero();
    }
  }

  @Test
  void anApprovalFromTheWrongRoleOrTheStarterAloneIsRefused() throws Exception {
    assertThat(server.cli("carol", "start", server.plan(dir, "search", "1s").toString()).exitCode()).isZero();
    awaitState("rollout-search.test", "WAITING_FOR_APPROVAL");

    Run wrongRole = server.cli("dave", "approve", "rollout-search.test", "--role", "sre");
    assertThat(wrongRole.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(wrongRole.err()).contains("Refused by the rollout", "sre");

    Run starter = server.cli("carol", "approve", "rollout-search.test", "--role", "release-manager");
    assertThat(starter.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(starter.err()).contains("Refused by the rollout");

    Run reject = server.cli("dave", "reject", "rollout-search.test", "--role", "release-manager", "--comment", "not today");
    assertThat(reject.exitCode()).as(reject.toString()).isZero();
    assertThat(server.cli("dave", "watch", "rollout-search.test").out().strip()).endsWith("ROLLED_BACK");
  }

  @Test
  void actionsTheRolloutIsNotWaitingForAreRefusedWithItsReason() throws Exception {
    assertThat(server.cli("erin", "start", server.plan(dir, "profile", "1s").toString()).exitCode()).isZero();
    awaitState("rollout-profile.test", "WAITING_FOR_APPROVAL");

    for (String[] command : new String[][] {
        {"decide", "rollout-profile.test", "--choice", "continue"},
        {"confirm", "rollout-profile.test", "--item", "audit passed", "--role", "sre"},
        {"skip-bake", "rollout-profile.test", "--role", "sre"},
        {"resume", "rollout-profile.test"}}) {
      Run run = server.cli("frank", command);
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.REFUSED);
      assertThat(run.err()).as(run.toString()).contains("Refused by the rollout");
    }
    Run pause = server.cli("frank", "pause", "rollout-profile.test", "--comment", "lunch");
    assertThat(pause.exitCode()).as(pause.toString()).isZero();
    Run resume = server.cli("frank", "resume", "rollout-profile.test", "--role", "sre");
    assertThat(resume.exitCode()).as(resume.toString()).isZero();
    assertThat(server.cli("frank", "abort", "rollout-profile.test", "--reason", "test over", "--role", "sre").exitCode()).isZero();
  }

  @Test
  void anSreSkipsALongBakeAndStartWatchFollowsTheRolloutToItsEnd() throws Exception {
    Path plan = server.plan(dir, "billing", "10m");
    Thread approver = new Thread(() -> {
      try {
        awaitState("rollout-billing.test", "WAITING_FOR_APPROVAL");
        server.post("/rollouts/rollout-billing.test/approve", "judy", "{\"role\": \"release-manager\"}");
        awaitState("rollout-billing.test", "BAKING");
        Run skip = server.cli("kim", "skip-bake", "rollout-billing.test", "--role", "sre", "--comment", "seen enough");
        assertThat(skip.exitCode()).as(skip.toString()).isZero();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    approver.start();

    Run run = server.cli("pipeline", "start", plan.toString(), "--watch");
    approver.join();

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("started rollout-billing.test", "full (2/2)");
    assertThat(run.out().strip()).endsWith("COMPLETED");
    assertThat(server.cli("kim", "status", "rollout-billing.test").out())
        .contains("kim (sre) skipped the rest of the bake — seen enough");
  }

  @Test
  void anUnknownRolloutIsRefusedByName() {
    for (String command : new String[] {"status", "watch", "pause"}) {
      Run run = server.cli("gina", command, "rollout-nothing.here");
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.REFUSED);
      assertThat(run.err()).contains("Unknown rollout", "rollout-nothing.here");
    }
  }

  @Test
  void anInvalidPlanIsRefusedWithItsLinesAndNothingStarts() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "apiVersion: rollout.dev/v1\nname: bad\ntargets:\n  - { service: bad, environment: test }\n"
        + "phases:\n  - name: one\n    bake: 5\n");
    Run run = server.cli("hank", "start", bad.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(run.err()).contains(bad + ":7:11 phases[0].bake", "nothing was started");
    assertThat(server.cli("hank", "status", "rollout-bad.test").err()).contains("Unknown rollout");
  }

  @Test
  void listAndStatusReadAsTextAndAsJson() throws Exception {
    assertThat(server.cli("ivy", "start", server.plan(dir, "inventory", "1s").toString()).exitCode()).isZero();
    awaitState("rollout-inventory.test", "WAITING_FOR_APPROVAL");

    Run list = server.cli("ivy", "list", "--target", "inventory/test");
    assertThat(list.exitCode()).as(list.toString()).isZero();
    assertThat(list.out()).contains("rollout-inventory.test", "WAITING_FOR_APPROVAL", "cli-test-inventory", "by ivy");

    JsonNode json = Json.MAPPER.readTree(server.cli("ivy", "list", "--state", "waiting_for_approval", "-o", "json").out());
    assertThat(json.findValuesAsText("rolloutId")).contains("rollout-inventory.test");
    assertThat(server.cli("ivy", "list", "--state", "COMPLETED", "--target", "inventory/test").out()).contains("no rollouts match");

    Run badState = server.cli("ivy", "list", "--state", "sleeping");
    assertThat(badState.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badState.err()).contains("sleeping", "WAITING_FOR_APPROVAL", "ROLLED_BACK");

    Run status = server.cli("ivy", "status", "rollout-inventory.test");
    assertThat(status.out()).contains("WAITING_FOR_APPROVAL", "phase     1/2 canary",
        "waiting   entry-approval 'entry approval of phase canary' by release-manager (0/1 approved)");
    JsonNode statusJson = Json.MAPPER.readTree(server.cli("ivy", "status", "rollout-inventory.test", "--output", "json").out());
    assertThat(statusJson.path("state").asText()).isEqualTo("WAITING_FOR_APPROVAL");
    assertThat(statusJson.path("waitingFor").path("roles").get(0).asText()).isEqualTo("release-manager");
    server.cli("ivy", "abort", "rollout-inventory.test", "--reason", "test over", "--role", "sre");
  }

  @Test
  void runsListsEveryRunOfATargetAndStatusReadsAnEarlierOneByItsRunId() throws Exception {
    Path plan = server.plan(dir, "ledger-runs", "1s");
    String id = "rollout-ledger-runs.test";
    assertThat(server.cli("ivy", "start", plan.toString()).exitCode()).isZero();
    awaitState(id, "WAITING_FOR_APPROVAL");
    assertThat(server.cli("ivy", "abort", id, "--reason", "first try over", "--role", "sre").exitCode()).isZero();
    awaitState(id, "ROLLED_BACK");
    assertThat(server.cli("ivy", "start", plan.toString()).exitCode()).isZero();
    awaitState(id, "WAITING_FOR_APPROVAL");

    Run runs = server.cli("ivy", "runs", id);
    assertThat(runs.exitCode()).as(runs.toString()).isZero();
    JsonNode rows = Json.MAPPER.readTree(server.cli("ivy", "runs", id, "-o", "json").out());
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).path("state").asText()).isEqualTo("WAITING_FOR_APPROVAL");
    assertThat(rows.get(1).path("state").asText()).isEqualTo("ROLLED_BACK");
    String first = rows.get(1).path("runId").asText();
    assertThat(runs.out()).contains(rows.get(0).path("runId").asText() + " *", first, "ROLLED_BACK", "WAITING_FOR_APPROVAL");

    Run earlier = server.cli("ivy", "status", id, "--run", first);
    assertThat(earlier.exitCode()).as(earlier.toString()).isZero();
    assertThat(earlier.out()).contains("ROLLED_BACK", "first try over");
    assertThat(server.cli("ivy", "audit", id, "--run", first).out()).contains(first, "first try over");
    Run unknown = server.cli("ivy", "status", id, "--run", "0b4c1a42-0000-4000-8000-000000000000");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(unknown.err()).contains("has no run");
    server.cli("ivy", "abort", id, "--reason", "test over", "--role", "sre");
  }

  @Test
  void aRolloutTerminatedInTemporalIsRecoveredAndItsTrafficGoesBackToStable() throws Exception {
    String id = "rollout-recovering.test";
    assertThat(server.cli("pipeline", "start", server.plan(dir, "recovering", "1h").toString()).exitCode()).isZero();
    awaitState(id, "WAITING_FOR_APPROVAL");
    server.post("/rollouts/" + id + "/approve", "alice", "{\"role\": \"release-manager\"}");
    awaitState(id, "BAKING");
    assertThat(server.target.router().canaryPercent()).isEqualTo(50.0);

    Run running = server.cli("bob", "recover", id, "--reason", "too early", "--role", "sre");
    assertThat(running.exitCode()).as(running.toString()).isEqualTo(ExitCodes.REFUSED);
    assertThat(running.err()).contains("only a rollout Temporal terminated can be recovered");

    server.context.getBean(io.temporal.client.WorkflowClient.class).newUntypedWorkflowStub(id)
        .terminate("terminated by an admin in the Web UI");
    Run recover = server.cli("bob", "recover", id, "--reason", "terminated by mistake", "--role", "sre");
    assertThat(recover.exitCode()).as(recover.toString()).isZero();
    assertThat(recover.out()).contains("recovering " + id);
    awaitState(id, "ROLLED_BACK");
    assertThat(server.target.router().canaryPercent()).isEqualTo(0.0);
    assertThat(server.cli("bob", "status", id).out()).contains("bob (sre)", "recovered terminated run");
  }

  private static void awaitState(String id, String state) throws Exception {
    Eventually.within(Duration.ofSeconds(60), () -> server.cli("test", "status", id).out().contains(state));
  }
}
