package dev.rollout.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.activities.traffic.proxy.HttpProxyRouter;
import dev.rollout.plan.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DemoTargetTest {

  private final HttpClient http = HttpClient.newHttpClient();
  private final HttpProxyRouter proxy = new HttpProxyRouter();
  private DemoTarget target;
  private Router.HttpProxy spec;

  @BeforeEach
  void start() throws Exception {
    target = DemoTarget.start(0, Duration.ofSeconds(5), 100);
    spec = new Router.HttpProxy(target.router().adminUrl());
  }

  @AfterEach
  void stop() {
    target.close();
  }

  @Test
  void allTrafficGoesToTheStableVersionUntilTheWeightIsShifted() throws Exception {
    await(() -> scrape().contains("demo_requests_total{status=\"200\",version=\"v1\"}"));

    assertThat(proxy.readWeight(spec)).isZero();
    assertThat(scrape()).doesNotContain("demo_requests_total{status=\"200\",version=\"v2\"}");
  }

  @Test
  void theHttpProxyRouterShiftsTrafficToTheCanary() throws Exception {
    proxy.setWeight(spec, 50);

    assertThat(proxy.readWeight(spec)).isEqualTo(50.0);
    await(() -> scrape().contains("demo_requests_total{status=\"200\",version=\"v2\"}"));
    assertThat(get("/").headers().firstValue("X-Version")).isPresent();
  }

  @Test
  void exactlyTheWeightedShareReachesTheCanary() throws Exception {
    target.load().close();
    proxy.setWeight(spec, 10);
    int canary = 0;
    for (int i = 0; i < 100; i++) {
      if (get("/").headers().firstValue("X-Version").orElseThrow().equals("v2")) canary++;
    }
    assertThat(canary).isEqualTo(10);
  }

  @Test
  void aBrokenCanaryShowsInTheErrorRateGauge() throws Exception {
    proxy.setWeight(spec, 100);
    await(() -> target.metrics().errorRatePercent("v2") == 0);

    target.breakCanary();

    await(() -> target.metrics().errorRatePercent("v2") > 50);
    assertThat(get("/").statusCode()).isEqualTo(500);
    assertThat(scrape())
        .contains("demo_requests_total{status=\"500\",version=\"v2\"}")
        .contains("demo_error_rate_percent{version=\"v2\"}")
        .contains("demo_request_duration_seconds_bucket{version=\"v2\"");
  }

  @Test
  void theAdminEndpointRefusesAWeightOutsideZeroToHundred() throws Exception {
    HttpRequest put =
        HttpRequest.newBuilder(URI.create(spec.adminUrl() + "/weight"))
            .PUT(HttpRequest.BodyPublishers.ofString("{\"canary\": 150}"))
            .build();
    HttpResponse<String> response = http.send(put, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("0-100");
    assertThat(proxy.readWeight(spec)).isZero();
  }

  private String scrape() throws Exception {
    return get("/metrics").body();
  }

  private HttpResponse<String> get(String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(target.router().url().resolve(path)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static void await(Eventually.Check check) throws Exception {
    Eventually.within(Duration.ofSeconds(10), check);
  }
}
