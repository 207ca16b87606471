package dev.rollout.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.rollout.api.security.StaticTokens;
import dev.rollout.client.RolloutService;
import dev.rollout.client.RunFacts;
import dev.rollout.server.RolloutServer;
import dev.rollout.server.TestPlans;
import dev.rollout.worker.RecordingActivityBeans;
import dev.rollout.worker.security.SignedAction;
import dev.rollout.worker.security.SigningKey;
import dev.rollout.workflow.Actions;
import dev.rollout.workflow.RolloutWorkflow;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.client.WorkflowUpdateHandle;
import io.temporal.common.interceptors.Header;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptor;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowClientInterceptorBase;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The attacks of issue 11 against the real server (embedded Temporal, worker, API): each is
 * refused with the status that fits, and the rollout it aimed at is unchanged.
 *
 * <p>People: alice, bob, carol (group testers: everything, any role); "BOB" and "ｂｏｂ" (case and
 * full-width variants of bob, also testers); viewer (authenticated, no rights); pm-only (may
 * approve as "release-manager" only, nothing else); orders-starter (may start on orders-* only);
 * ops-sre (may pause, abort, decide and skip bakes, as "sre" only); staging-only (everything, on
 * staging targets only); burst (reads only); " Bob "
 * (bob with blanks, a tester). An OIDC issuer is served from a local JWKS.
 */
@SpringBootTest(
    classes = RolloutServer.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "rollout.temporal.embedded.port=0",
      "rollout.worker.activities=recording",
      "rollout.security.access.testers.subjects=group:testers",
      "rollout.security.access.testers.actions=START,PAUSE,ABORT,DECIDE,SKIP_BAKE,APPROVE",
      "rollout.security.access.testers.roles=*",
      "rollout.security.access.pm.subjects=pm-only",
      "rollout.security.access.pm.actions=APPROVE",
      "rollout.security.access.pm.roles=release-manager",
      "rollout.security.access.orders.subjects=orders-starter",
      "rollout.security.access.orders.targets=orders-*/*",
      "rollout.security.access.orders.actions=START",
      "rollout.security.access.ops.subjects=ops-sre",
      "rollout.security.access.ops.actions=PAUSE,ABORT,DECIDE,SKIP_BAKE",
      "rollout.security.access.ops.roles=sre",
      "rollout.security.access.staging.subjects=staging-only",
      "rollout.security.access.staging.targets=*/staging",
      "rollout.security.access.staging.actions=START,PAUSE,ABORT,DECIDE,SKIP_BAKE,APPROVE",
      "rollout.security.access.staging.roles=*",
      "rollout.security.limits.requests-per-minute=300",
      "rollout.security.limits.rehearsals-in-flight=1",
      "rollout.security.limits.max-comment=2000",
      "rollout.scopes.everyone.targets=*",
      "rollout.scopes.everyone.hosts=127.0.0.1:9",
      "rollout.scopes.scoped.targets=scoped/*",
      "rollout.scopes.scoped.secrets=SCOPED_*",
      "rollout.scopes.scoped.paths=/srv/scoped/**",
      "rollout.scopes.scoped.namespaces=scoped",
      "rollout.scopes.scoped.hosts=prometheus.scoped:9090"
    })
@Import(RecordingActivityBeans.class)
@org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability(tracing = false)
class SecurityAttackTest {
  static final String ISSUER = "https://idp.attack.test";
  static final RSAKey IDP_KEY = rsaKey("idp");
  static final RSAKey OTHER_KEY = rsaKey("idp");
  static final HttpServer JWKS = jwks();
  static final ObjectMapper JSON = new ObjectMapper();

  static final String SCRAPER_TOKEN = "rot_scraper_" + "0123456789abcdef".repeat(2);

  @DynamicPropertySource
  static void security(DynamicPropertyRegistry r) {
    r.add("rollout.security.metrics-token-file", () -> {
      try {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("metrics-token", "");
        java.nio.file.Files.writeString(file, SCRAPER_TOKEN + "\n");
        file.toFile().deleteOnExit();
        return file.toString();
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    });
    r.add("rollout.security.oidc.issuer", () -> ISSUER);
    r.add("rollout.security.oidc.jwks-uri", () -> "http://127.0.0.1:" + JWKS.getAddress().getPort() + "/jwks");
    r.add("rollout.security.oidc.groups-claim", () -> "groups");
    Map<String, List<String>> people = new HashMap<>();
    for (String tester : List.of("alice", "bob", "carol", "BOB", "ｂｏｂ", " Bob ")) people.put(tester, List.of("testers"));
    for (String other : List.of("viewer", "pm-only", "orders-starter", "burst", "ops-sre", "staging-only")) people.put(other, List.of("nobody"));
    int i = 0;
    for (var p : people.entrySet()) {
      String name = "t" + i++;
      r.add("rollout.security.tokens." + name + ".principal", p::getKey);
      r.add("rollout.security.tokens." + name + ".groups", () -> String.join(",", p.getValue()));
      r.add("rollout.security.tokens." + name + ".sha256", () -> StaticTokens.sha256(token(p.getKey())));
    }
  }

  @AfterAll
  static void stopJwks() {
    JWKS.stop(0);
  }

  @LocalServerPort int port;
  @Autowired WorkflowClient temporal;
  @Autowired SigningKey signingKey;
  @Autowired RolloutService rollouts;
  @Autowired dev.rollout.rehearsal.RehearsalWorld world;

  private final HttpClient http = HttpClient.newHttpClient();

  // --- authentication -------------------------------------------------------------------------

  @Test
  void noTokenIs401AndHealthStaysOpen() throws Exception {
    assertThat(send("GET", "/rollouts", null, null, null).statusCode()).isEqualTo(401);
    HttpResponse<String> start = send("POST", "/rollouts", null, "application/yaml", TestPlans.approvalPlan("noauth", "1s"));
    assertThat(start.statusCode()).isEqualTo(401);
    assertThat(start.body()).contains("Authorization: Bearer");
    assertThat(send("GET", "/v3/api-docs", null, null, null).statusCode()).isEqualTo(401);
    assertThat(send("GET", "/actuator/health", null, null, null).statusCode()).isEqualTo(200);
    assertThat(status("alice", TestPlans.rolloutId("noauth")).statusCode()).isEqualTo(404);
  }

  @Test
  void badExpiredAndWrongIssuerTokensAre401AndAGoodOidcTokenWorks() throws Exception {
    assertThat(get("rot_not-a-known-token", "/rollouts").statusCode()).isEqualTo(401);
    assertThat(get(jwt(IDP_KEY, ISSUER, "dora", Instant.now().minusSeconds(60)), "/rollouts").statusCode())
        .as("expired").isEqualTo(401);
    assertThat(get(jwt(IDP_KEY, "https://evil.test", "dora", Instant.now().plusSeconds(300)), "/rollouts").statusCode())
        .as("wrong issuer").isEqualTo(401);
    assertThat(get(jwt(OTHER_KEY, ISSUER, "dora", Instant.now().plusSeconds(300)), "/rollouts").statusCode())
        .as("signed by another key").isEqualTo(401);
    String good = jwt(IDP_KEY, ISSUER, "Dora", Instant.now().plusSeconds(300));
    assertThat(get(good, "/rollouts").statusCode()).isEqualTo(200);
    HttpResponse<String> started = send("POST", "/rollouts", good, "application/yaml", TestPlans.approvalPlan("oidc", "1s"));
    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    assertThat(JSON.readTree(started.body()).path("startedBy").asText()).as("canonical principal from the claim").isEqualTo("dora");
    abort("oidc");
  }

  @Test
  void theScrapersTokenReadsMetricsAndNothingElse() throws Exception {
    HttpResponse<String> metrics = get(SCRAPER_TOKEN, "/actuator/prometheus");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("# HELP");
    assertThat(get(null, "/actuator/prometheus").statusCode()).as("no token").isEqualTo(401);
    assertThat(get(token("viewer"), "/actuator/prometheus").statusCode()).as("any person's token").isEqualTo(200);
    for (String path : List.of("/rollouts", "/me", "/server", "/v3/api-docs", "/actuator/info", "/rollouts/" + TestPlans.rolloutId("x") + "/audit")) {
      assertThat(get(SCRAPER_TOKEN, path).statusCode()).as(path).isEqualTo(403);
    }
    HttpResponse<String> start = send("POST", "/rollouts", SCRAPER_TOKEN, "application/yaml", TestPlans.approvalPlan("scraped", "1s"));
    assertThat(start.statusCode()).isEqualTo(403);
    assertThat(status("alice", TestPlans.rolloutId("scraped")).statusCode()).isEqualTo(404);
  }

  @Test
  void theOldHeaderConfersNoIdentity() throws Exception {
    HttpRequest r = HttpRequest.newBuilder(uri("/rollouts")).header("X-Rollout-User", "alice").GET().build();
    assertThat(http.send(r, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
  }

  // --- authorisation --------------------------------------------------------------------------

  @Test
  void aTokenWithoutTheRightCannotStartAndAStartOutsideItsTargetsIsRefused() throws Exception {
    assertThat(post("viewer", "/rollouts", TestPlans.approvalPlan("viewed", "1s")).statusCode()).isEqualTo(403);
    assertThat(status("alice", TestPlans.rolloutId("viewed")).statusCode()).isEqualTo(404);
    assertThat(post("orders-starter", "/rollouts", TestPlans.approvalPlan("payments-x", "1s")).statusCode()).isEqualTo(403);
    assertThat(status("alice", TestPlans.rolloutId("payments-x")).statusCode()).isEqualTo(404);
    HttpResponse<String> ok = post("orders-starter", "/rollouts", TestPlans.approvalPlan("orders-x", "1s"));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
    abort("orders-x");
  }

  @Test
  void approvingAsARoleThePrincipalLacksIsRefused() throws Exception {
    String id = started("lacks", "1s");
    HttpResponse<String> r = action("pm-only", id, "approve", Map.of("role", "sre"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(r.body()).contains("does not hold the role 'sre'");
    assertUnchanged(id);
    abort("lacks");
  }

  @Test
  void abortDecideSkipBakeAndPauseWithoutTheRightAreRefused() throws Exception {
    String id = started("rights", "1s");
    for (var a : List.of(
        Map.entry("abort", Map.<String, Object>of("reason", "no")),
        Map.entry("decide", Map.<String, Object>of("choice", "CONTINUE")),
        Map.entry("skip-bake", Map.<String, Object>of("role", "release-manager")),
        Map.entry("pause", Map.<String, Object>of()))) {
      HttpResponse<String> r = action("pm-only", id, a.getKey(), a.getValue());
      assertThat(r.statusCode()).as(a.getKey() + ": " + r.body()).isEqualTo(403);
    }
    assertUnchanged(id);
    abort("rights");
  }

  @Test
  void aBodyNamingAnotherUserIsRefused() throws Exception {
    String id = started("named", "1s");
    HttpResponse<String> r = action("bob", id, "approve", Map.of("role", "sre", "user", "carol"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
    assertThat(r.body()).contains("authenticated caller");
    assertUnchanged(id);
    abort("named");
  }

  @Test
  void selfApprovalAsTheOnlyApproverIsRefused() throws Exception {
    String id = started("self", "1s"); // started by alice
    HttpResponse<String> r = action("alice", id, "approve", Map.of("role", "sre"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertUnchanged(id);
    abort("self");
  }

  @Test
  void theSamePersonTwiceInOneQuorumIsRefusedWhateverTheSpelling() throws Exception {
    String id = startedPlan(quorumPlan("quorum", "test"));
    assertThat(action("bob", id, "approve", Map.of("role", "sre")).statusCode()).isEqualTo(200);
    for (String variant : List.of("BOB", "ｂｏｂ", " Bob ")) {
      HttpResponse<String> r = action(variant, id, "approve", Map.of("role", "release-manager"));
      assertThat(r.statusCode()).as(variant + ": " + r.body()).isEqualTo(403);
    }
    JsonNode waiting = JSON.readTree(status("alice", id).body()).path("waitingFor");
    assertThat(waiting.path("approvedBy").toString()).isEqualTo("[{\"role\":\"sre\",\"user\":\"bob\"}]");
    abort("quorum");
  }

  // --- policy floor ---------------------------------------------------------------------------

  @Test
  void aProductionPlanBelowTheFloorIsRefusedNamingPhaseAndLine() throws Exception {
    String plan = TestPlans.approvalPlan("floor", "1s").replace("environment: test", "environment: production");
    HttpResponse<String> r = post("alice", "/rollouts", plan);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
    JsonNode problems = JSON.readTree(r.body()).path("problems");
    assertThat(problems.toString()).contains("phases[0].entryApproval").contains("phases[1]").contains("at least 2");
    assertThat(problems.get(0).path("line").asInt()).as("the line of '- name: canary'").isEqualTo(14);
    assertThat(status("alice", "rollout-floor.production").statusCode()).isEqualTo(404);
  }

  @Test
  void inProductionTheStarterNeverCounts() throws Exception {
    String id = startedPlan(quorumPlan("prodfloor", "production"));
    HttpResponse<String> r = action("alice", id, "approve", Map.of("role", "sre"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(r.body()).contains("never counts");
    assertUnchanged(id);
    assertThat(action("alice", id, "abort", Map.of("reason", "test over", "role", "sre")).statusCode()).isEqualTo(200);
  }

  @Test
  void inProductionTheStarterMayStillRejectTheirOwnRollout() throws Exception {
    // Rejecting counts nobody in: it stops the rollout, which the starter may always want.
    String id = startedPlan(quorumPlan("prodreject", "production"));
    HttpResponse<String> r = action("alice", id, "reject", Map.of("role", "sre", "comment", "found a bug"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode done = Api.awaitState(this, id, "ROLLED_BACK", () -> JSON.readTree(status("alice", id).body()), null);
    assertThat(done.path("decisions").toString()).contains("rejected").contains("alice");
  }

  // --- worker scopes -------------------------------------------------------------------------

  @Test
  void secretsPathsNamespacesAndHostsOutsideTheTargetsScopeAreRefusedWithFieldAndLine() throws Exception {
    String plan = """
        apiVersion: rollout.dev/v1
        name: scoped-v2
        version: 2.0.0
        targets:
          - { service: scoped, environment: test }
        roles: [sre]
        resources:
          databases:
            main: { connection: OTHER_TEAM_DB, migrations: "filesystem:/srv/scoped/migrations" }
          routers:
            edge: { type: nginx, upstreamFile: /etc/passwd, nginxConfig: /srv/scoped/nginx.conf, upstream: u, stable: "a:1", canary: "b:1" }
          metricSources:
            prom: { type: prometheus, url: "http://169.254.169.254:80/latest" }
          workloads:
            app: { namespace: kube-system, deployment: app }
        metrics:
          errors: { source: prom, query: "up" }
        phases:
          - name: canary
            entryApproval: { roles: [sre] }
            steps:
              - { kind: backup, name: backup, database: main }
              - { kind: traffic, name: 10%% to v2, router: edge, percent: 10 }
              - { kind: scale, name: scale, workload: app, replicas: 2 }
            gates:
              - { name: errors, metric: errors, op: "<", threshold: 1, interval: 1s }
        """.replace("%%", "%");
    HttpResponse<String> r = post("alice", "/rollouts", plan);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
    String problems = JSON.readTree(r.body()).path("problems").toString();
    assertThat(problems)
        .contains("resources.databases.main.connection").contains("secret 'OTHER_TEAM_DB'")
        .contains("resources.routers.edge.upstreamFile").contains("'/etc/passwd'")
        .contains("resources.workloads.app.namespace").contains("'kube-system'")
        .contains("resources.metricSources.prom.url").contains("'169.254.169.254:80'")
        .doesNotContain("nginx.conf").doesNotContain("migrations'");
    assertThat(problems).contains("\"line\":9");
    assertThat(status("alice", "rollout-scoped.test").statusCode()).isEqualTo(404);
  }

  // --- straight to Temporal -------------------------------------------------------------------

  @Test
  void aPlanStartedStraightOnTemporalIsRefusedByTheWorkerBeforeItReachesOutsideItsScope() throws Exception {
    // Each plan reaches one thing outside scope "scoped" (secrets SCOPED_*, paths /srv/scoped/**,
    // namespace scoped, host prometheus.scoped:9090); the API never sees them.
    Map<String, String> steps = Map.of(
        "secret", "databases: { zz-db: { connection: OTHER_TEAM_DB } }|{ kind: backup, database: zz-db }",
        "path", "routers: { zz-edge: { type: nginx, upstreamFile: /etc/passwd, nginxConfig: /srv/scoped/n.conf, upstream: u, stable: \"a:1\", canary: \"b:1\" } }|{ kind: traffic, router: zz-edge, percent: 10 }",
        "namespace", "workloads: { zz-app: { namespace: kube-system, deployment: app } }|{ kind: scale, workload: zz-app, replicas: 2 }",
        "host", "notifiers: { log: { type: log } }|{ kind: health, url: \"http://169.254.169.254:80/latest\", failureThreshold: 1, interval: 1s, timeout: 5s }");
    Map<String, String> expected = Map.of(
        "secret", "Database.connection: secret 'OTHER_TEAM_DB' is outside the worker's scope",
        "path", "Nginx.upstreamFile: file path '/etc/passwd' is outside the worker's scope",
        "namespace", "Workload.namespace: namespace 'kube-system' is outside the worker's scope",
        "host", "url: URL host '169.254.169.254:80' is outside the worker's scope");
    Map<String, io.temporal.client.WorkflowStub> started = new HashMap<>();
    for (var step : steps.entrySet()) {
      String[] parts = step.getValue().split("\\|");
      String yaml = """
          apiVersion: rollout.dev/v1
          name: direct-%1$s
          version: 2.0.0
          targets:
            - { service: scoped, environment: direct-%1$s }
          resources:
            %2$s
          phases:
            - name: only
              steps:
                - %3$s
          """.formatted(step.getKey(), parts[0], parts[1]);
      dev.rollout.plan.Plan plan = dev.rollout.plan.Plans.parse(yaml, "direct.yaml");
      String id = dev.rollout.workflow.RolloutIds.forPlan(plan);
      RolloutWorkflow wf = temporal.newWorkflowStub(RolloutWorkflow.class, io.temporal.client.WorkflowOptions.newBuilder()
          .setTaskQueue(RolloutWorkflow.TASK_QUEUE).setWorkflowId(id).build());
      WorkflowClient.start(wf::run, new dev.rollout.workflow.RolloutRequest(id, plan, "mallory", "direct.yaml"));
      started.put(step.getKey(), io.temporal.client.WorkflowStub.fromTyped(wf));
    }
    for (var run : started.entrySet()) {
      run.getValue().getResult(120, java.util.concurrent.TimeUnit.SECONDS, dev.rollout.workflow.RolloutResult.class);
      List<String> refusals = new ArrayList<>();
      for (HistoryEvent e : temporal.fetchHistory(run.getValue().getExecution().getWorkflowId()).getEvents()) {
        if (e.hasActivityTaskFailedEventAttributes()) {
          var failure = e.getActivityTaskFailedEventAttributes().getFailure();
          refusals.add(failure.getMessage());
          assertThat(failure.getApplicationFailureInfo().getNonRetryable()).isTrue();
          assertThat(failure.getApplicationFailureInfo().getType()).isEqualTo("OutOfScope");
        }
      }
      assertThat(refusals).as(run.getKey()).hasSize(1);
      assertThat(refusals.get(0)).as(run.getKey()).startsWith("refused by the worker: ").contains(expected.get(run.getKey()));
    }
    assertThat(world.calls()).as("no activity ran on anything out of scope")
        .noneMatch(c -> c.args() != null && (c.args().contains("zz-") || c.args().contains("169.254")));
  }


  @Test
  void anUnsignedUpdateSentStraightToTemporalIsRefused() throws Exception {
    String id = started("direct", "1s");
    RolloutWorkflow stub = temporal.newWorkflowStub(RolloutWorkflow.class, id);
    assertThatThrownBy(() -> stub.approve(new Actions.Approve("bob", "sre", "forged")))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause().hasMessageContaining("refused: it is not signed by the rollout API");
    // h1's undo actions and h2's wait-carrying answers are Updates like any other: unsigned, refused.
    assertThatThrownBy(() -> stub.retryUndo(new Actions.UndoAction("bob", "sre", "u1", null)))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause().hasMessageContaining("refused: it is not signed by the rollout API");
    assertThatThrownBy(() -> stub.markUndoDone(new Actions.UndoAction("bob", "sre", "u1", "by hand")))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause().hasMessageContaining("refused: it is not signed by the rollout API");
    assertThatThrownBy(() -> stub.decide(new Actions.Decide("bob", Actions.Choice.CONTINUE, "forged", "sre", "w1")))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause().hasMessageContaining("refused: it is not signed by the rollout API");
    assertUnchanged(id);
    abort("direct");
  }

  @Test
  void signedApprovalsReplayedOrAlteredAreRefused() throws Exception {
    String id = startedPlan(twoPhasePlan("replay"));
    assertThat(action("bob", id, "approve", Map.of("role", "sre", "comment", "first")).statusCode()).isEqualTo(200);
    Captured first = lastAcceptedUpdate(id);
    Api.awaitState(this, id, "WAITING_FOR_APPROVAL", () -> JSON.readTree(status("alice", id).body()), "second");

    // The same signed approval replayed onto the second phase: its nonce was used.
    assertThat(refusal(id, Optional.empty(), first.header, first.action)).contains("already used");
    // Signed for this run but with the arguments changed (another role).
    assertThat(refusal(id, Optional.empty(), first.header, new Actions.Approve("bob", "release-manager", "first")))
        .contains("changed after it was signed");
    RunFacts run = rollouts.facts(id);
    Actions.Approve fresh = new Actions.Approve("bob", "sre", "fresh");
    // Signed with the key but for another plan: the digest differs.
    assertThat(refusal(id, Optional.empty(), sign(run.runId(), "sha256:0000", fresh, Instant.now()), fresh))
        .contains("another plan");
    // Signed long ago.
    assertThat(refusal(id, Optional.empty(), sign(run.runId(), run.planDigest(), fresh, Instant.now().minus(Duration.ofMinutes(30))), fresh))
        .contains("s ago");
    // Signed for another run of the same rollout.
    assertThat(refusal(id, Optional.empty(), sign("another-run", run.planDigest(), fresh, Instant.now()), fresh))
        .contains("another run");
    // Signed for bob but naming carol.
    Actions.Approve asCarol = new Actions.Approve("carol", "sre", "fresh");
    SignedAction forBob = SignedAction.sign(signingKey, "bob", List.of("*"), "approve", run.runId(), run.planDigest(),
        new Object[] {asCarol}, Instant.now());
    assertThat(refusal(id, Optional.empty(), forBob.toPayload(), asCarol)).contains("signed for 'bob'");

    JsonNode now = JSON.readTree(status("alice", id).body());
    assertThat(now.path("phase").asText()).isEqualTo("second");
    assertThat(now.path("waitingFor").path("approvedBy").size()).isZero();
    abort("replay");
  }

  @Test
  void anApprovalFromAnEarlierRunIsRefusedOnTheNextRun() throws Exception {
    String id = started("rerun", "1s");
    assertThat(action("bob", id, "pause", Map.of("comment", "hold on")).statusCode()).isEqualTo(200);
    Captured paused = lastAcceptedUpdate(id);
    abort("rerun");
    started("rerun", "1s");
    assertThat(refusal(id, Optional.empty(), paused.header, paused.raw)).contains("another run");
    assertUnchanged(id);
    abort("rerun");
  }

  // --- limits ---------------------------------------------------------------------------------

  @Test
  void aHugeBodyIsRefusedBeforeItIsRead() throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST /rollouts HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token("alice")
          + "\r\nContent-Type: application/yaml\r\nContent-Length: 2147483648\r\n\r\nname: x\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      String answer = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(answer).isEqualTo("HTTP/1.1 413");
    }
    // Without a Content-Length (chunked), refused once the limit is passed.
    HttpRequest chunked = HttpRequest.newBuilder(uri("/plans/validate"))
        .header("Authorization", "Bearer " + token("alice"))
        .header("Content-Type", "application/yaml")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new RepeatingStream(3 * 1024 * 1024)))
        .build();
    assertThat(http.send(chunked, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(413);
  }

  @Test
  void aChunked2GbBodyIsRefusedWithoutBeingReadAndTheServerStaysResponsive() throws Exception {
    long twoGb = 2L << 30;
    java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
    long started = System.nanoTime();
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(60_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST /plans/validate HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token("alice")
          + "\r\nContent-Type: application/yaml\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      Thread writer = new Thread(() -> {
        byte[] data = ("#".repeat(63) + "\n").repeat(1024).getBytes(StandardCharsets.US_ASCII); // 64 KiB
        byte[] head = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        try {
          while (sent.get() < twoGb) {
            out.write(head);
            out.write(data);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            sent.addAndGet(data.length);
          }
          out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } catch (java.io.IOException closedByTheServer) {
          // expected: the server answered and closed the connection
        }
      }, "two-gb-writer");
      writer.setDaemon(true);
      writer.start();
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 413").contains("too large");
      writer.join(60_000);
      assertThat(writer.isAlive()).as("the server closed the connection instead of reading on").isFalse();
    }
    // What got through before the close: the limit, the socket buffers, never the 2 GB.
    System.out.printf("2 GB chunked body: %,d bytes sent before the server closed, %d ms%n",
        sent.get(), Duration.ofNanos(System.nanoTime() - started).toMillis());
    assertThat(sent.get()).as("bytes the client could send").isLessThan(32L << 20);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
    assertThat(get(token("alice"), "/rollouts").statusCode()).isEqualTo(200);
  }

  @Test
  void deepYamlNestingIsRefusedAndTheServerStaysUp() throws Exception {
    String deep = "apiVersion: rollout.dev/v1\nname: " + "[".repeat(20_000) + "]".repeat(20_000) + "\n";
    HttpResponse<String> r = post("alice", "/plans/validate", deep);
    assertThat(r.statusCode()).as(r.body()).isIn(400, 422);
    assertThat(get(token("alice"), "/rollouts").statusCode()).isEqualTo(200);
  }

  @Test
  void longCommentsAndReasonsAre422() throws Exception {
    String id = started("verbose", "1s");
    String essay = "x".repeat(10_000);
    assertThat(action("bob", id, "approve", Map.of("role", "sre", "comment", essay)).statusCode()).isEqualTo(422);
    assertThat(action("bob", id, "abort", Map.of("reason", essay)).statusCode()).isEqualTo(422);
    assertUnchanged(id);
    abort("verbose");
  }

  @Test
  void onlyJsonAndYamlBodiesAreAccepted() throws Exception {
    HttpResponse<String> r = send("POST", "/rollouts", token("alice"), "text/plain", TestPlans.approvalPlan("csrf", "1s"));
    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(send("POST", "/rollouts", token("alice"), "application/x-www-form-urlencoded", "a=b").statusCode()).isEqualTo(415);
    assertThat(status("alice", TestPlans.rolloutId("csrf")).statusCode()).isEqualTo(404);
  }

  @Test
  void aBurstFromOnePrincipalIs429AndOthersAreUnaffected() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Integer>> codes = new ArrayList<>();
    try {
      for (int i = 0; i < 800; i++) {
        codes.add(pool.submit(() -> get(token("burst"), "/actuator/info").statusCode()));
      }
      int refused = 0;
      for (Future<Integer> f : codes) if (f.get() == 429) refused++;
      assertThat(refused).isGreaterThan(100);
    } finally {
      pool.shutdownNow();
    }
    assertThat(get(token("carol"), "/actuator/info").statusCode()).isEqualTo(200);
  }

  @Test
  void rehearsalsBeyondTheLimitInFlightAre429() throws Exception {
    String plan = TestPlans.approvalPlan("rehearsed", "1h");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Callable<Integer> call = () -> post("carol", "/plans/rehearse", plan).statusCode();
        answers.add(pool.submit(call));
      }
      List<Integer> codes = new ArrayList<>();
      for (Future<Integer> f : answers) codes.add(f.get());
      assertThat(codes).contains(200).contains(429).allMatch(c -> c == 200 || c == 429);
    } finally {
      pool.shutdownNow();
    }
  }

  // --- audit ----------------------------------------------------------------------------------

  @Test
  void theAuditNamesEveryDecisionWithPrincipalRolesAndTime() throws Exception {
    String id = started("audited", "1h");
    HttpResponse<String> approved = action("bob", id, "approve", Map.of("role", "sre", "comment", "looks good"));
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    HttpResponse<String> audit = send("GET", "/rollouts/" + id + "/audit", token("carol"), null, null);
    assertThat(audit.statusCode()).isEqualTo(200);
    List<JsonNode> lines = new ArrayList<>();
    for (String l : audit.body().split("\n")) lines.add(JSON.readTree(l));
    assertThat(lines.get(0).path("action").asText()).isEqualTo("start");
    assertThat(lines.get(0).path("principal").asText()).isEqualTo("alice");
    JsonNode approval = lines.get(1);
    assertThat(approval.path("action").asText()).isEqualTo("approve");
    assertThat(approval.path("principal").asText()).isEqualTo("bob");
    assertThat(approval.path("roles").toString()).isEqualTo("[\"*\"]");
    assertThat(approval.path("request").path("comment").asText()).isEqualTo("looks good");
    assertThat(approval.path("planDigest").asText()).startsWith("sha256:");
    assertThat(Instant.parse(approval.path("at").asText())).isBefore(Instant.now().plusSeconds(1));
    abort("audited");
  }

  // --- identity and roles only from the token (added by h-auth) ------------------------------

  @Test
  void aTokenInTheQueryStringIsNotATokenAndNoCorsGrantIsGiven() throws Exception {
    assertThat(get(null, "/rollouts?access_token=" + token("alice")).statusCode()).isEqualTo(401);
    // A page on another site: no preflight grant, and reads answered without one either.
    HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(uri("/rollouts/any/approve"))
        .header("Origin", "https://evil.test").header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization,content-type")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    HttpResponse<String> read = http.send(HttpRequest.newBuilder(uri("/rollouts")).header("Origin", "https://evil.test")
        .header("Authorization", "Bearer " + token("alice")).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(read.headers().allValues("Set-Cookie")).as("no session to ride on").isEmpty();
  }

  @Test
  void onlyHealthInfoAndMetricsOfTheActuatorAreServedAndHealthShowsNoDetail() throws Exception {
    for (String path : List.of("/actuator/env", "/actuator/heapdump", "/actuator/configprops", "/actuator/beans",
        "/actuator/loggers", "/actuator/threaddump", "/actuator/mappings", "/actuator/shutdown")) {
      assertThat(get(token("alice"), path).statusCode()).as(path).isEqualTo(404);
    }
    HttpResponse<String> health = get(null, "/actuator/health");
    assertThat(health.body()).doesNotContain("components").doesNotContain("details");
  }

  @Test
  void rolesOrIdentitiesClaimedOutsideTheTokenGrantNothing() throws Exception {
    String id = started("claimed", "1s");
    // Headers a proxy might set and query parameters: none is read as who acts or as which role.
    HttpRequest forged = HttpRequest.newBuilder(uri("/rollouts/" + id + "/approve?role=sre&roles=*&user=bob&principal=bob"))
        .header("Authorization", "Bearer " + token("viewer")).header("Content-Type", "application/json")
        .header("X-Rollout-User", "bob").header("X-Rollout-Roles", "*").header("X-Forwarded-User", "bob")
        .header("X-Remote-Groups", "testers").header("X-Forwarded-Groups", "testers")
        .POST(HttpRequest.BodyPublishers.ofString("{\"role\":\"sre\"}")).build();
    HttpResponse<String> r = http.send(forged, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(r.body()).contains("viewer may not approve");
    // Roles or groups in the body are no field of an action: refused, not ignored.
    for (Map<String, Object> body : List.of(
        Map.<String, Object>of("role", "release-manager", "roles", List.of("sre")),
        Map.<String, Object>of("role", "sre", "groups", List.of("testers")))) {
      HttpResponse<String> b = action("pm-only", id, "approve", body);
      assertThat(b.statusCode()).as(body + ": " + b.body()).isEqualTo(422);
    }
    assertUnchanged(id);
    abort("claimed");
  }

  @Test
  void aRightWithoutTheNamedRoleIsRefusedForEveryAction() throws Exception {
    // ops-sre may pause, abort, decide and skip bakes, but only as sre; and may not approve at all.
    String id = started("opsrole", "1h");
    for (var a : List.of(
        Map.entry("abort", Map.<String, Object>of("reason", "no", "role", "release-manager")),
        Map.entry("decide", Map.<String, Object>of("choice", "ROLLBACK", "role", "release-manager")),
        Map.entry("skip-bake", Map.<String, Object>of("role", "release-manager")),
        Map.entry("resume", Map.<String, Object>of("role", "release-manager")),
        Map.entry("undos/u1", Map.<String, Object>of("action", "SKIP", "role", "release-manager", "reason", "no")),
        Map.entry("approve", Map.<String, Object>of("role", "sre")),
        Map.entry("reject", Map.<String, Object>of("role", "sre")),
        Map.entry("confirm", Map.<String, Object>of("role", "sre")))) {
      HttpResponse<String> r = action("ops-sre", id, a.getKey(), a.getValue());
      assertThat(r.statusCode()).as(a.getKey() + ": " + r.body()).isEqualTo(403);
    }
    assertUnchanged(id);
    abort("opsrole");
  }

  @Test
  void anotherRolloutsWaitIdOrAnEarlierWaitsIdIsRefused() throws Exception {
    String a = startedPlan(twoPhasePlan("waits-a"));
    String b = started("waits-b", "1s");
    String bWait = JSON.readTree(status("alice", b).body()).path("waitingFor").path("id").asText();
    String aFirst = JSON.readTree(status("alice", a).body()).path("waitingFor").path("id").asText();
    HttpResponse<String> cross = action("bob", a, "approve", Map.of("role", "sre", "waitId", bWait));
    assertThat(cross.statusCode()).as(cross.body()).isEqualTo(409);
    assertUnchanged(a);
    assertThat(action("bob", a, "approve", Map.of("role", "sre", "waitId", aFirst)).statusCode()).isEqualTo(200);
    Api.awaitState(this, a, "WAITING_FOR_APPROVAL", () -> JSON.readTree(status("alice", a).body()), "second");
    // carol answers the first phase's wait, which is over: it must not approve the second phase.
    HttpResponse<String> stale = action("carol", a, "approve", Map.of("role", "sre", "waitId", aFirst));
    assertThat(stale.statusCode()).as(stale.body()).isEqualTo(409);
    JsonNode now = JSON.readTree(status("alice", a).body());
    assertThat(now.path("phase").asText()).isEqualTo("second");
    assertThat(now.path("waitingFor").path("approvedBy").size()).isZero();
    assertUnchanged(b);
    abort("waits-a");
    abort("waits-b");
  }

  @Test
  void withoutATokenNothingButHealthAndTheDashboardsFilesIsServedWhateverThePathSpelling() throws Exception {
    String id = started("unauth", "1s");
    for (String path : List.of("/rollouts/" + id, "/rollouts/" + id + "/plan.svg", "/rollouts/" + id + "/audit",
        "/rollouts/" + id + "/runs", "/me", "/me?rollout=" + id, "/server", "/actuator/prometheus", "/actuator/info",
        "/swagger-ui.html", "/swagger-ui/index.html", "/v3/api-docs", "/error", "/rollouts/", "/ROLLOUTS/" + id)) {
      assertThat(get(null, path).statusCode()).as(path).isEqualTo(401);
    }
    // Spellings that might slip past a path rule: refused (400) or unauthenticated, never served.
    for (String path : List.of("/rollouts;x=1/" + id, "/./rollouts/" + id, "/dashboard.js/../rollouts/" + id,
        "/%2e/rollouts/" + id, "//rollouts/" + id, "/index.html/../rollouts/" + id, "/rollouts/" + id + "%00")) {
      HttpResponse<String> r = send("GET", path, null, null, null);
      assertThat(r.statusCode()).as(path).isIn(400, 401);
      assertThat(r.body()).as(path).doesNotContain("WAITING_FOR_APPROVAL");
    }
    for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
      HttpResponse<String> r = send(method, "/rollouts/" + id + "/approve", null, "application/json", "{\"role\":\"sre\"}");
      assertThat(r.statusCode()).as(method).isIn(401, 405);
    }
    assertThat(get(null, "/").statusCode()).isEqualTo(200);
    assertUnchanged(id);
    abort("unauth");
  }

  @Test
  void aPromotionReachingATargetTheCallerMayNotTouchIsRefusedAtStartAndForEveryAction() throws Exception {
    // staging-only may do everything, on staging only: a plan promoting staging to test is not theirs.
    HttpResponse<String> start = post("staging-only", "/rollouts", TestPlans.stagingThenTestPlan("promo"));
    assertThat(start.statusCode()).as(start.body()).isEqualTo(403);
    assertThat(JSON.readTree(get(token("alice"), "/rollouts?target=promo").body()).size()).isZero();
    HttpResponse<String> byAlice = post("alice", "/rollouts", TestPlans.stagingThenTestPlan("promo"));
    assertThat(byAlice.statusCode()).as(byAlice.body()).isEqualTo(201);
    String id = JSON.readTree(byAlice.body()).path("rolloutId").asText();
    Api.awaitState(this, id, "WAITING_FOR_APPROVAL", () -> JSON.readTree(status("alice", id).body()), null);
    // Its first phase acts on staging, but the rollout reaches test too: not theirs to approve.
    for (var a : List.of(
        Map.entry("approve", Map.<String, Object>of("role", "sre")),
        Map.entry("pause", Map.<String, Object>of()),
        Map.entry("abort", Map.<String, Object>of("reason", "mine", "role", "sre")))) {
      HttpResponse<String> r = action("staging-only", id, a.getKey(), a.getValue());
      assertThat(r.statusCode()).as(a.getKey() + ": " + r.body()).isEqualTo(403);
    }
    assertUnchanged(id);
    assertThat(action("alice", id, "abort", Map.of("reason", "test over", "role", "sre")).statusCode()).isEqualTo(200);
    Api.awaitState(this, id, "ROLLED_BACK", () -> JSON.readTree(status("alice", id).body()), null);
  }

  @Test
  void aLookAlikeEnvironmentCannotDodgeTheProductionFloor() throws Exception {
    // Each names production in another spelling; the plan asks one approver where the floor wants two.
    List<String> spellings = List.of("\"production \"", "ｐｒｏｄｕｃｔｉｏｎ", "\"production\\u200B\"", "Production");
    for (int i = 0; i < spellings.size(); i++) {
      String service = "lookalike" + i;
      String plan = TestPlans.approvalPlan(service, "1s").replace("environment: test", "environment: " + spellings.get(i));
      HttpResponse<String> r = post("alice", "/rollouts", plan);
      assertThat(r.statusCode()).as(spellings.get(i) + ": " + r.body()).isEqualTo(422);
      assertThat(r.body()).as(spellings.get(i)).containsAnyOf("targets[0].environment", "at least 2");
      assertThat(JSON.readTree(get(token("alice"), "/rollouts?target=" + service).body()).size())
          .as(spellings.get(i) + " started nothing").isZero();
    }
  }

  // --- helpers --------------------------------------------------------------------------------

  record Captured(Payload header, Actions.Approve action, Object raw) {}

  /** The last Update the rollout accepted, with its signature header, as an attacker reading history would. */
  private Captured lastAcceptedUpdate(String id) {
    Captured last = null;
    for (HistoryEvent e : temporal.fetchHistory(id).getEvents()) {
      if (!e.hasWorkflowExecutionUpdateAcceptedEventAttributes()) continue;
      var input = e.getWorkflowExecutionUpdateAcceptedEventAttributes().getAcceptedRequest().getInput();
      Payload header = input.getHeader().getFieldsMap().get(SignedAction.HEADER);
      Payload arg = input.getArgs().getPayloads(0);
      Actions.Approve approve = input.getName().equals("approve")
          ? io.temporal.common.converter.GlobalDataConverter.get().fromPayload(arg, Actions.Approve.class, Actions.Approve.class)
          : null;
      last = new Captured(header, approve, arg);
    }
    assertThat(last).as("an accepted update in " + id).isNotNull();
    if (last.action == null) {
      // A pause: replay it as it was (an Operator action).
      Actions.Operator op = io.temporal.common.converter.GlobalDataConverter.get()
          .fromPayload((Payload) last.raw, Actions.Operator.class, Actions.Operator.class);
      return new Captured(last.header, null, op);
    }
    return last;
  }

  private Payload sign(String runId, String planDigest, Actions.Approve action, Instant at) {
    return SignedAction.sign(signingKey, action.user(), List.of("*"), "approve", runId, planDigest,
        new Object[] {action}, at).toPayload();
  }

  /** Sends an Update straight to Temporal with the given signature header; returns why it was refused. */
  private String refusal(String id, Optional<String> runId, Payload header, Object action) {
    WorkflowClient attacker = WorkflowClient.newInstance(temporal.getWorkflowServiceStubs(),
        WorkflowClientOptions.newBuilder(temporal.getOptions()).setInterceptors(new WithHeader(header)).build());
    RolloutWorkflow stub = attacker.newWorkflowStub(RolloutWorkflow.class, id, runId);
    try {
      if (action instanceof Actions.Approve a) stub.approve(a);
      else if (action instanceof Actions.Operator o) stub.pause(o);
      else throw new IllegalArgumentException(String.valueOf(action));
    } catch (WorkflowUpdateException e) {
      Throwable root = e;
      while (root.getCause() != null) root = root.getCause();
      return root.getMessage();
    }
    throw new AssertionError("the update was accepted");
  }

  /** Puts a given payload in the signature header of every Update. */
  private static final class WithHeader extends WorkflowClientInterceptorBase {
    private final Payload header;

    WithHeader(Payload header) {
      this.header = header;
    }

    @Override
    public WorkflowClientCallsInterceptor workflowClientCallsInterceptor(WorkflowClientCallsInterceptor next) {
      return new WorkflowClientCallsInterceptorBase(next) {
        @Override
        public <R> WorkflowUpdateHandle<R> startUpdate(StartUpdateInput<R> in) {
          Map<String, Payload> values = new HashMap<>(in.getHeader().getValues());
          values.put(SignedAction.HEADER, header);
          return super.startUpdate(new StartUpdateInput<>(in.getWorkflowExecution(), in.getWorkflowType(),
              in.getUpdateName(), new Header(values), in.getUpdateId(), in.getArguments(), in.getResultClass(),
              in.getResultType(), in.getFirstExecutionRunId(), in.getWaitPolicy()));
        }
      };
    }
  }

  /** The rollout still waits for its first approval, with none given and nothing decided. */
  private void assertUnchanged(String id) throws Exception {
    JsonNode s = JSON.readTree(status("alice", id).body());
    assertThat(s.path("state").asText()).isEqualTo("WAITING_FOR_APPROVAL");
    assertThat(s.path("waitingFor").path("approvedBy").size()).isZero();
    assertThat(s.path("decisions").toString()).doesNotContain("approved").doesNotContain("abort");
  }

  private String started(String service, String bake) throws Exception {
    return startedPlan(TestPlans.approvalPlan(service, bake));
  }

  private String startedPlan(String plan) throws Exception {
    HttpResponse<String> r = post("alice", "/rollouts", plan);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String id = JSON.readTree(r.body()).path("rolloutId").asText();
    Api.awaitState(this, id, "WAITING_FOR_APPROVAL", () -> JSON.readTree(status("alice", id).body()), null);
    return id;
  }

  private void abort(String service) throws Exception {
    String id = JSON.readTree(send("GET", "/rollouts?target=" + service, token("alice"), null, null).body())
        .path(0).path("rolloutId").asText();
    HttpResponse<String> r = action("alice", id, "abort", Map.of("reason", "test over", "role", "sre"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Api.awaitState(this, id, "ROLLED_BACK", () -> JSON.readTree(status("alice", id).body()), null);
  }

  /** Two roles, both needed (quorum 2), on its own target in {@code environment}. */
  static String quorumPlan(String service, String environment) {
    return """
        apiVersion: rollout.dev/v1
        name: %1$s-v2
        version: 2.0.0
        targets:
          - { service: %1$s, environment: %2$s }
        roles: [release-manager, sre]
        resources:
          routers:
            edge: { type: proxy, adminUrl: "http://127.0.0.1:9/admin" }
        phases:
          - name: canary
            entryApproval: { roles: [sre, release-manager] }
            steps:
              - { kind: traffic, name: 10%% to v2, router: edge, percent: 10 }
          - name: full
            entryApproval: { roles: [sre, release-manager] }
            steps:
              - { kind: traffic, name: all to v2, router: edge, percent: 100 }
        """.formatted(service, environment);
  }

  /** Two phases, each waiting for an sre's entry approval. */
  static String twoPhasePlan(String service) {
    return """
        apiVersion: rollout.dev/v1
        name: %1$s-v2
        version: 2.0.0
        targets:
          - { service: %1$s, environment: test }
        roles: [release-manager, sre]
        resources:
          routers:
            edge: { type: proxy, adminUrl: "http://127.0.0.1:9/admin" }
        phases:
          - name: first
            entryApproval: { roles: [sre] }
            steps:
              - { kind: traffic, name: 10%% to v2, router: edge, percent: 10 }
          - name: second
            entryApproval: { roles: [sre] }
            steps:
              - { kind: traffic, name: all to v2, router: edge, percent: 100 }
        """.formatted(service);
  }

  private HttpResponse<String> status(String user, String id) throws Exception {
    return send("GET", "/rollouts/" + id, token(user), null, null);
  }

  private HttpResponse<String> get(String bearer, String path) throws Exception {
    return send("GET", path, bearer, null, null);
  }

  private HttpResponse<String> post(String user, String path, String yaml) throws Exception {
    return send("POST", path, token(user), "application/yaml", yaml);
  }

  private HttpResponse<String> action(String user, String id, String action, Map<String, Object> body) throws Exception {
    return send("POST", "/rollouts/" + id + "/" + action, token(user), "application/json", JSON.writeValueAsString(body));
  }

  private HttpResponse<String> send(String method, String path, String bearer, String type, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60));
    if (bearer != null) b.header("Authorization", "Bearer " + bearer);
    if (type != null) b.header("Content-Type", type);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** ASCII whatever the name (HTTP headers are): the name's UTF-8 bytes in hex. */
  static String token(String user) {
    return "rot_attack_" + java.util.HexFormat.of().formatHex(user.getBytes(StandardCharsets.UTF_8));
  }

  private static RSAKey rsaKey(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String jwt(RSAKey key, String issuer, String user, Instant expires) {
    try {
      JWTClaimsSet claims = new JWTClaimsSet.Builder()
          .issuer(issuer).subject("id-" + user).claim("preferred_username", user)
          .claim("groups", List.of("testers")).issueTime(new Date())
          .expirationTime(Date.from(expires)).build();
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpServer jwks() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      byte[] body = new JWKSet(IDP_KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
      server.createContext("/jwks", x -> {
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(200, body.length);
        x.getResponseBody().write(body);
        x.close();
      });
      server.start();
      return server;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code size} bytes of YAML comment, produced on demand. */
  private static final class RepeatingStream extends InputStream {
    private long left;

    RepeatingStream(long size) {
      this.left = size;
    }

    @Override
    public int read() {
      if (left-- <= 0) return -1;
      return left % 64 == 0 ? '\n' : '#';
    }
  }
}
