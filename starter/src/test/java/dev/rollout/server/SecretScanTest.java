package dev.rollout.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.rollout.workflow.HistoryText;
import io.temporal.client.WorkflowClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A full rollout on the real activities with known secret values in the worker's configuration:
 * a webhook URL with credentials, database credentials, and a health endpoint whose error body is
 * an internal secret; the health check fails, so the rollout rolls back. Its whole history, the logs, the status,
 * the audit and every notification sent are scanned: no secret appears.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretScanTest {
  static final List<String> SECRETS =
      List.of("S3cr3tHookPw", "S3cr3tHookTok", "Pa55wordDb", "Pa55wordInUrl", "Pa55wordBadUrl", "INTERNAL-BODY-LEAK");

  private final List<String> notifications = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger healthCalls = new AtomicInteger();
  private HttpServer remote;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void cleanUp() {
    if (remote != null) remote.stop(0);
    for (String k : List.of("SCAN_HOOK", "SCAN_DB_URL", "SCAN_DB_USER", "SCAN_DB_PASSWORD", "SCAN_BADDB_URL")) {
      System.clearProperty(k);
    }
  }

  @Test
  void noSecretInHistoryLogsStatusAuditOrNotifications(CapturedOutput output) throws Exception {
    remote = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    remote.createContext("/hook", x -> {
      notifications.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      x.sendResponseHeaders(200, -1);
      x.close();
    });
    remote.createContext("/health", x -> {
      healthCalls.incrementAndGet();
      byte[] body = "INTERNAL-BODY-LEAK db=primary password=Pa55wordDb".getBytes(StandardCharsets.UTF_8);
      x.sendResponseHeaders(503, body.length);
      x.getResponseBody().write(body);
      x.close();
    });
    remote.start();
    int port = remote.getAddress().getPort();
    System.setProperty("SCAN_HOOK", "http://hookuser:S3cr3tHookPw@127.0.0.1:" + port + "/hook?token=S3cr3tHookTok");
    System.setProperty("SCAN_DB_URL", "jdbc:postgresql://127.0.0.1:1/nodb?password=Pa55wordInUrl&&&");
    System.setProperty("SCAN_DB_USER", "scan");
    System.setProperty("SCAN_DB_PASSWORD", "Pa55wordDb");
    // Malformed (the port): the failure must say so without quoting the URL and its password.
    System.setProperty("SCAN_BADDB_URL", "jdbc:postgresql://127.0.0.1:notaport/nodb?password=Pa55wordBadUrl");

    List<String> args = new ArrayList<>(TestTokens.serverArgs());
    args.addAll(List.of("--rollout.temporal.embedded.port=0", "--spring.main.banner-mode=off"));
    try (ConfigurableApplicationContext server = RolloutServer.start(0, args.toArray(String[]::new))) {
      String api = "http://127.0.0.1:" + RolloutServer.apiPort(server);
      String plan = """
          apiVersion: rollout.dev/v1
          name: secretscan-v2
          version: 2.0.0
          targets:
            - { service: secretscan, environment: test }
          roles: [sre]
          resources:
            notifiers:
              hook: { type: webhook, urlSecret: SCAN_HOOK }
          phases:
            - name: one
              entryApproval: { roles: [sre] }
              steps:
                - { kind: notify, name: tell, notifier: hook, message: "starting <!channel>" }
                - { kind: health, name: health, url: "http://127.0.0.1:%d/health", failureThreshold: 2, interval: 1s, timeout: 5s }
          """.formatted(port);
      assertThat(send(api, "POST", "/rollouts", "alice", "application/yaml", plan).statusCode()).isEqualTo(201);
      String id = "rollout-secretscan.test";
      awaitBody(api, id, "WAITING_FOR_APPROVAL");
      assertThat(send(api, "POST", "/rollouts/" + id + "/approve", "bob", "application/json",
          "{\"role\":\"sre\",\"comment\":\"go\"}").statusCode()).isEqualTo(200);
      String status = awaitBody(api, id, "ROLLED_BACK");

      // A second rollout: its backup fails on a malformed database URL; the rollback is notified.
      String dbPlan = """
          apiVersion: rollout.dev/v1
          name: secretscan-db-v2
          version: 2.0.0
          targets:
            - { service: secretscan-db, environment: test }
          resources:
            databases:
              main: { connection: SCAN_BADDB }
            notifiers:
              hook: { type: webhook, urlSecret: SCAN_HOOK }
          notifications: { notifier: hook, onRollback: hook, onComplete: hook }
          phases:
            - name: one
              steps:
                - { kind: backup, name: backup, database: main }
          """;
      assertThat(send(api, "POST", "/rollouts", "alice", "application/yaml", dbPlan).statusCode()).isEqualTo(201);
      String dbId = "rollout-secretscan-db.test";
      String dbStatus = awaitBody(api, dbId, "ROLLED_BACK");
      assertThat(dbStatus).as("the failure is explained").contains("SCAN_BADDB_URL");
      status = status + "\n" + dbStatus;

      // Decoded: in toJson every payload is base64, where a plain search finds nothing.
      String history = HistoryText.of(server.getBean(WorkflowClient.class).fetchHistory(id));
      assertThat(history).as("payloads are searchable").contains("SCAN_HOOK").contains("starting");
      history = history + "\n" + HistoryText.of(server.getBean(WorkflowClient.class).fetchHistory(dbId));
      String audit = send(api, "GET", "/rollouts/" + id + "/audit", "alice", null, null).body();
      assertThat(notifications).as("the webhook was called").isNotEmpty();
      assertThat(healthCalls.get()).as("the health check ran").isGreaterThan(1);
      Map<String, String> places = Map.of(
          "history", history, "status", status, "audit", audit,
          "notifications", String.join("\n", notifications), "logs", output.getAll());
      for (var place : places.entrySet()) {
        for (String secret : SECRETS) {
          assertThat(place.getValue()).as(secret + " in " + place.getKey()).doesNotContain(secret);
        }
      }
    }
  }

  private HttpResponse<String> send(String api, String method, String path, String user, String type, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path))
        .header("Authorization", "Bearer " + TestTokens.of(user));
    if (type != null) b.header("Content-Type", type);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String awaitBody(String api, String id, String state) throws Exception {
    long deadline = System.nanoTime() + 90_000_000_000L;
    String body = "";
    while (System.nanoTime() < deadline) {
      body = send(api, "GET", "/rollouts/" + id, "alice", null, null).body();
      if (body.contains("\"state\":\"" + state + "\"")) return body;
      Thread.sleep(200);
    }
    throw new AssertionError(id + " never reached " + state + "; last: " + body);
  }
}
