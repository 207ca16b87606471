package dev.rollout.activities.integration;

import static org.assertj.core.api.Assertions.fail;

import dev.rollout.activities.LocalHttpServer;
import dev.rollout.activities.metrics.Poll;
import dev.rollout.plan.Router;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real nginx of this test's own (own prefix, own free ports, own upstream file) in front of two
 * tiny backends answering "stable" and "canary": a test may stop it, break its file or reload it
 * without touching the shared nginx other tests use. Stopped by its own pid file.
 */
final class PrivateNginx implements AutoCloseable {
  final Path dir;
  final Path conf;
  final Path upstream;
  final int port;
  private final int stablePort;
  private final int canaryPort;
  private final LocalHttpServer stable;
  private final LocalHttpServer canary;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  PrivateNginx(Path dir) throws IOException, InterruptedException {
    this.dir = dir;
    this.port = freePort();
    this.stablePort = freePort();
    this.canaryPort = freePort();
    Files.createDirectories(dir.resolve("logs"));
    this.upstream = dir.resolve("upstream.conf");
    this.conf = dir.resolve("nginx.conf");
    writeUpstream(1, 0);
    Files.writeString(conf, """
        worker_processes 1;
        pid %1$s/nginx.pid;
        error_log %1$s/logs/error.log;
        events { worker_connections 64; }
        http {
            access_log off;
            client_body_temp_path %1$s/client_temp;
            proxy_temp_path %1$s/proxy_temp;
            fastcgi_temp_path %1$s/fastcgi_temp;
            uwsgi_temp_path %1$s/uwsgi_temp;
            scgi_temp_path %1$s/scgi_temp;
            include %2$s;
            server {
                listen 127.0.0.1:%3$d;
                location / { proxy_pass http://app; proxy_next_upstream off; }
            }
        }
        """.formatted(dir, upstream, port));
    stable = new LocalHttpServer(stablePort, () -> 200, "stable");
    canary = new LocalHttpServer(canaryPort, () -> 200, "canary");
    start();
  }

  Router.Nginx spec() {
    return new Router.Nginx(upstream.toString(), conf.toString(), "app", "127.0.0.1:" + stablePort, "127.0.0.1:" + canaryPort);
  }

  /** The plan's router line for this nginx. */
  String routerYaml() {
    return "{ type: nginx, upstreamFile: \"%s\", nginxConfig: \"%s\", upstream: app, stable: \"127.0.0.1:%d\", canary: \"127.0.0.1:%d\" }"
        .formatted(upstream, conf, stablePort, canaryPort);
  }

  /** What someone with a shell does: writes the weights into the file by hand (smallest form not required). */
  void writeUpstream(int stableWeight, int canaryWeight) throws IOException {
    Files.writeString(upstream, "upstream app {\n    server 127.0.0.1:" + stablePort + (stableWeight == 0 ? " down" : " weight=" + stableWeight)
        + ";\n    server 127.0.0.1:" + canaryPort + (canaryWeight == 0 ? " down" : " weight=" + canaryWeight) + ";\n}\n");
  }

  void start() throws IOException, InterruptedException {
    run("nginx", "-p", dir + "/", "-c", conf.toString(), "-e", dir.resolve("logs/error.log").toString());
    Poll.until(this::answers, Duration.ofSeconds(10));
  }

  void reload() throws IOException, InterruptedException {
    run("nginx", "-p", dir + "/", "-c", conf.toString(), "-e", dir.resolve("logs/error.log").toString(), "-s", "reload");
  }

  /** Stops this nginx (its own master, by the pid file) and waits until the port is closed. */
  void stop() throws IOException, InterruptedException {
    Path pidFile = dir.resolve("nginx.pid");
    if (!Files.exists(pidFile)) return;
    // A signal to the master, not `nginx -s stop`: that parses the config first, and a test that
    // failed while the config was broken would leave its nginx running.
    run("kill", "-TERM", Files.readString(pidFile).strip());
    Poll.until(() -> !answers() && !Files.exists(dir.resolve("nginx.pid")), Duration.ofSeconds(10));
  }

  boolean answers() {
    try {
      get();
      return true;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** How many of {@code requests} real requests reached the canary. */
  int canaryHits(int requests) throws Exception {
    int hits = 0;
    for (int i = 0; i < requests; i++) {
      if ("canary".equals(get())) hits++;
    }
    return hits;
  }

  /** Polls batches of 100 until nginx serves {@code percent} (± 3), as a reload applies asynchronously. */
  void awaitServing(double percent) {
    Poll.until(() -> {
      try {
        return Math.abs(canaryHits(100) - percent) <= 3;
      } catch (Exception e) {
        return false;
      }
    }, Duration.ofSeconds(15));
  }

  private String get() throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(5)).GET().build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException closedByOldWorker) { // old workers close keep-alive connections after a reload
      return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
  }

  @Override
  public void close() throws Exception {
    try {
      stop();
    } finally {
      stable.close();
      canary.close();
    }
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) fail(String.join(" ", command) + " failed: " + out);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
