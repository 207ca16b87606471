package dev.rollout.cli;

import dev.rollout.demo.DemoTarget;
import dev.rollout.server.RolloutServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real thing the CLI talks to, in this JVM on free ports: embedded Temporal, the worker with
 * the real activities, the REST API, and the demo target whose router the test plans shift.
 */
final class CliServer implements AutoCloseable {

  final DemoTarget target;
  final ConfigurableApplicationContext context;
  final String api;
  private final HttpClient http = HttpClient.newHttpClient();

  private CliServer(DemoTarget target, ConfigurableApplicationContext context) {
    this.target = target;
    this.context = context;
    this.api = "http://127.0.0.1:" + RolloutServer.apiPort(context);
  }

  static CliServer start() throws IOException {
    DemoTarget target = DemoTarget.start(0, Duration.ofSeconds(5), 20);
    java.util.List<String> args = new java.util.ArrayList<>(dev.rollout.server.TestTokens.serverArgs());
    args.addAll(java.util.List.of(
        "--rollout.temporal.embedded.port=0", "--spring.main.banner-mode=off", "--logging.level.root=WARN"));
    return new CliServer(target, RolloutServer.start(0, args.toArray(String[]::new)));
  }

  /** Runs a CLI command against this server as {@code user} (with their token in ROLLOUT_TOKEN). */
  Run cli(String user, String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--api";
    all[args.length + 1] = api;
    return Run.with(java.util.Map.of("ROLLOUT_TOKEN", dev.rollout.server.TestTokens.of(user)), "", all);
  }

  /**
   * A two-phase plan on its own target: the release manager lets it start, 50 % of traffic for a
   * short bake (an SRE may skip it), then 100 %. The tests' targets share one demo proxy, so a
   * rollout starts from whatever split the previous test left ({@code adoptLiveState}).
   */
  Path plan(Path dir, String service, String bake) throws IOException {
    String yaml = """
        apiVersion: rollout.dev/v1
        name: cli-test-%1$s
        version: 1.0.0
        targets:
          - { service: %1$s, environment: test }
        roles: [release-manager, sre]
        resources:
          routers:
            router: { type: proxy, adminUrl: "%2$s", adoptLiveState: true }
        phases:
          - name: canary
            entryApproval: { roles: [release-manager] }
            steps:
              - { kind: traffic, name: half to v2, router: router, percent: 50 }
            bake: %3$s
            skipBakeRoles: [sre]
          - name: full
            steps:
              - { kind: traffic, name: all to v2, router: router, percent: 100 }
        """.formatted(service, target.router().adminUrl(), bake);
    Path file = dir.resolve(service + ".yaml");
    Files.writeString(file, yaml);
    return file;
  }

  /** An action straight through the REST API, as another tool (or a person with curl) would. */
  HttpResponse<String> post(String path, String user, String json) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(api + path))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + dev.rollout.server.TestTokens.of(user))
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    context.close();
    target.close();
  }
}
