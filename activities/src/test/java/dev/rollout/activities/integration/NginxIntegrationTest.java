package dev.rollout.activities.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.rollout.activities.LocalHttpServer;
import dev.rollout.activities.traffic.TrafficActivitiesImpl;
import dev.rollout.activities.traffic.TrafficRouters;
import dev.rollout.activities.traffic.nginx.NginxRouter;
import dev.rollout.activities.traffic.nginx.NginxSettings;
import dev.rollout.plan.Router;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real nginx from services.sh in front of two tiny Java backends: real requests, counted. */
@Tag("integration")
class NginxIntegrationTest {

  static LocalHttpServer stable;
  static LocalHttpServer canary;
  static String originalUpstream;
  static Router.Nginx spec;
  static final TrafficActivitiesImpl traffic =
      new TrafficActivitiesImpl(new TrafficRouters(List.of(new NginxRouter(new NginxSettings()))));
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void backends() throws IOException {
    Services.requireListening("nginx", "ROLLOUT_NGINX_PORT");
    stable = new LocalHttpServer(Services.port("ROLLOUT_NGINX_STABLE_PORT"), () -> 200, "stable");
    canary = new LocalHttpServer(Services.port("ROLLOUT_NGINX_CANARY_PORT"), () -> 200, "canary");
    Path upstream = Path.of(Services.get("ROLLOUT_NGINX_UPSTREAM_FILE"));
    originalUpstream = Files.readString(upstream);
    spec = new Router.Nginx(upstream.toString(), Services.get("ROLLOUT_NGINX_CONF"), "app",
        "127.0.0.1:" + Services.port("ROLLOUT_NGINX_STABLE_PORT"), "127.0.0.1:" + Services.port("ROLLOUT_NGINX_CANARY_PORT"));
  }

  @AfterAll
  static void putBack() throws IOException {
    traffic.setWeight("it", "nginx", spec, 0);
    stable.close();
    canary.close();
  }

  @ParameterizedTest
  @ValueSource(doubles = {10, 25, 50, 0})
  void nginxSplitsRealRequestsAsSet(double percent) throws Exception {
    traffic.setWeight("it", "nginx", spec, percent);
    assertThat(traffic.currentWeight("it", "nginx", spec)).isEqualTo(percent);
    awaitSplit(percent);

    int canaryHits = countCanary(1000);

    System.out.printf("nginx split at %.0f%%: stable %d, canary %d of 1000%n", percent, 1000 - canaryHits, canaryHits);
    assertThat(canaryHits / 10.0).isCloseTo(percent, org.assertj.core.data.Offset.offset(3.0));
  }

  @Test
  void aConfigNginxRejectsIsPutBackAndReportedNonRetryably(@TempDir Path prefix) throws Exception {
    Files.createDirectories(prefix.resolve("logs"));
    Path upstream = prefix.resolve("upstream.conf");
    String broken = "upstream app {\n    server 127.0.0.1:1 weight=1 bogus;\n    server 127.0.0.1:2 down;\n}\n";
    Files.writeString(upstream, broken);
    Path conf = prefix.resolve("nginx.conf");
    Files.writeString(conf, "pid " + prefix + "/nginx.pid;\nevents {}\nhttp {\n include " + upstream
        + ";\n server { listen 127.0.0.1:1; location / { proxy_pass http://app; } }\n}\n");
    var rejected = new Router.Nginx(upstream.toString(), conf.toString(), "app", "127.0.0.1:1", "127.0.0.1:2");

    assertThatThrownBy(() -> traffic.setWeight("it", "nginx", rejected, 10))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isTrue())
        .hasMessageContaining("nginx -t rejected").hasMessageContaining("bogus");
    assertThat(Files.readString(upstream)).isEqualTo(broken);
  }

  /** A reload takes effect asynchronously: poll batches until the new weights serve. */
  private static void awaitSplit(double percent) throws Exception {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (Math.abs(countCanary(100) - percent) > 3) {
      if (System.nanoTime() > deadline) fail("nginx did not start serving " + percent + "% within 15 s");
    }
  }

  private static int countCanary(int requests) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + Services.port("ROLLOUT_NGINX_PORT") + "/");
    int hits = 0;
    for (int i = 0; i < requests; i++) {
      if ("canary".equals(get(uri))) hits++;
    }
    return hits;
  }

  /** Old workers close idle keep-alive connections after a reload: retry an idempotent GET once. */
  private static String get(URI uri) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(uri).GET().build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException closedByOldWorker) {
      return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
  }
}
