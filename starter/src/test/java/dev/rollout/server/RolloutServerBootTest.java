package dev.rollout.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.activities.TrafficActivities;
import dev.rollout.activities.traffic.TrafficActivitiesImpl;
import dev.rollout.worker.EmbeddedTemporalServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Boots the server the way {@code ./rollout server} does (real activities), and an API-only
 * process (docker-compose's {@code api}) against its Temporal server. Prints start-up times.
 */
class RolloutServerBootTest {
  /** The API-only process and the worker must share one signing key, as in docker-compose. */
  private static final String KEY = "--rollout.security.signing-key=" + "k".repeat(40);

  private final HttpClient http = HttpClient.newHttpClient();

  private static String[] args(String... more) {
    java.util.List<String> all = new java.util.ArrayList<>(TestTokens.serverArgs());
    all.addAll(java.util.List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void bootsWithRealActivitiesAndAnApiOnlyProcessSharesItsTemporal() throws Exception {
    long began = System.nanoTime();
    try (ConfigurableApplicationContext server =
        RolloutServer.start(0, args("--rollout.temporal.embedded.port=0", KEY))) {
      System.out.printf("RolloutServer (embedded Temporal + worker + API) up in %d ms%n", millisSince(began));
      assertThat(server.getBean("trafficActivities", TrafficActivities.class))
          .isInstanceOf(TrafficActivitiesImpl.class);
      int port = RolloutServer.apiPort(server);
      assertThat(get(port, "/actuator/health").body()).contains("UP");
      assertThat(get(port, "/rollouts").statusCode()).isEqualTo(200);

      String temporal = server.getBean(EmbeddedTemporalServer.Target.class).address();
      long apiBegan = System.nanoTime();
      try (ConfigurableApplicationContext api =
          RolloutServer.start(
              0,
              args("--spring.profiles.active=api-only",
              "--spring.temporal.connection.target=" + temporal, KEY))) {
        System.out.printf("API-only process up in %d ms%n", millisSince(apiBegan));
        assertThat(api.getBeansOfType(EmbeddedTemporalServer.Target.class)).isEmpty();
        assertThat(api.getBeansOfType(TrafficActivities.class)).isEmpty();
        int apiPort = RolloutServer.apiPort(api);

        HttpResponse<String> started =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/rollouts"))
                    .header("Content-Type", "application/yaml")
                    .header("Authorization", "Bearer " + TestTokens.of("alice"))
                    .POST(HttpRequest.BodyPublishers.ofString(TestPlans.approvalPlan("split", "1s")))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        assertThat(awaitBody(port, "/rollouts/" + TestPlans.rolloutId("split"), "WAITING_FOR_APPROVAL"))
            .as("the full server sees the rollout the API-only process started, run by its worker")
            .contains("\"startedBy\":\"alice\"");
        {
          String path = "/rollouts/" + TestPlans.rolloutId("split") + "/abort";
          HttpResponse<String> aborted =
              http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
                      .header("Content-Type", "application/json")
                      .header("Authorization", "Bearer " + TestTokens.of("alice"))
                      .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"test over\",\"role\":\"sre\"}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          assertThat(aborted.statusCode()).as(aborted.body()).isEqualTo(200);
        }
      }
    }
  }

  @Test
  void anUnreachableTemporalIs503() throws Exception {
    try (ConfigurableApplicationContext api =
        RolloutServer.start(
            0, args("--spring.profiles.active=api-only", "--spring.temporal.connection.target=127.0.0.1:9", KEY))) {
      HttpResponse<String> list = get(RolloutServer.apiPort(api), "/rollouts");
      assertThat(list.statusCode()).as(list.body()).isEqualTo(503);
      assertThat(list.body()).contains("urn:rollout:problem:temporal-unavailable");
    }
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + TestTokens.of("alice")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Polls {@code path} until its body contains {@code text}, for at most a minute. */
  private String awaitBody(int port, String path, String text) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    String body = "";
    while (System.nanoTime() < deadline) {
      body = get(port, path).body();
      if (body.contains(text)) {
        return body;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(path + " never contained " + text + "; last: " + body);
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }
}
