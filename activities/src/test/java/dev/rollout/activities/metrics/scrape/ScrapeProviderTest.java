package dev.rollout.activities.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.activities.MetricActivities.BoundGate;
import dev.rollout.activities.MetricActivities.BoundMetric;
import dev.rollout.activities.metrics.FakeHttpServer;
import dev.rollout.activities.metrics.FakeHttpServer.Reply;
import dev.rollout.activities.metrics.GateChecker;
import dev.rollout.activities.metrics.GateCondition.Outcome;
import dev.rollout.activities.metrics.MetricProviders;
import dev.rollout.activities.metrics.MetricQueryException;
import dev.rollout.activities.metrics.MetricRequest;
import dev.rollout.activities.metrics.MutableClock;
import dev.rollout.activities.metrics.Sample;
import dev.rollout.plan.Comparison;
import dev.rollout.plan.Gate;
import dev.rollout.plan.MetricQuery;
import dev.rollout.plan.MetricSource;
import dev.rollout.plan.NoDataAction;
import dev.rollout.plan.Quantity;
import dev.rollout.plan.Target;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A service's own /metrics, read without Prometheus: rates and sustained checks from kept scrapes. */
class ScrapeProviderTest {
  static final Instant T0 = Instant.parse("2026-01-05T02:00:00Z");
  static final String ERROR_RATIO = "rate(http_requests_total{service=\"${service}\",outcome=\"error\"}[30s])"
      + " / rate(http_requests_total{service=\"${service}\"}[30s])";

  final AtomicReference<String> page = new AtomicReference<>();
  final MutableClock clock = new MutableClock(T0);

  static String metrics(int ok, int errors) {
    return "# TYPE http_requests_total counter\n"
        + "http_requests_total{service=\"api\",outcome=\"ok\"} " + ok + ".0\n"
        + "http_requests_total{service=\"api\",outcome=\"error\"} " + errors + ".0\n"
        + "jvm_threads_live_threads 42.0\n";
  }

  @Test
  void readsTheCurrentValueOfASelector() {
    try (FakeHttpServer service = new FakeHttpServer(uri -> new Reply(200, page.get()))) {
      page.set(metrics(90, 10));
      ScrapeProvider provider = new ScrapeProvider(service.url() + "/metrics", HttpClient.newHttpClient(), Duration.ofSeconds(1), clock);
      assertThat(provider.instant(new MetricRequest("requests", "http_requests_total{service=\"api\"}")))
          .contains(new Sample(T0, 100.0));
      assertThat(service.requests.get(0).getPath()).isEqualTo("/metrics");
    }
  }

  @Test
  void aSustainedTriggerFiresOnceItsWindowIsCoveredByBreachingScrapes() {
    try (FakeHttpServer service = new FakeHttpServer(uri -> new Reply(200, page.get()))) {
      MetricSource source = new MetricSource.Scrape(service.url() + "/metrics");
      GateChecker checker = new GateChecker(new MetricProviders(Duration.ofSeconds(1), 1, clock), clock);
      Gate gate = new Gate("errors", "error_rate", Comparison.GT, Quantity.parse("1%"), Duration.ofSeconds(20), null,
          Duration.ofSeconds(10), NoDataAction.PASS);
      BoundGate trigger = new BoundGate(gate, new BoundMetric("error_rate", new MetricQuery("demo", ERROR_RATIO, "", null), source), null);
      Target target = new Target("api", "demo");
      // a check every 10 s; errors climb from the second scrape on
      int[][] counts = {{100, 0}, {200, 5}, {300, 10}, {400, 15}};
      Outcome[] seen = new Outcome[counts.length];
      for (int i = 0; i < counts.length; i++) {
        page.set(metrics(counts[i][0], counts[i][1]));
        seen[i] = checker.check(trigger, target).outcome();
        clock.advance(Duration.ofSeconds(10));
      }
      // one scrape: no rate yet; then breaching since the scrape at 10 s: for 0 s, 10 s, then the whole 20 s
      assertThat(seen).containsExactly(Outcome.NO_DATA, Outcome.DOES_NOT_HOLD, Outcome.DOES_NOT_HOLD, Outcome.HOLDS);
    }
  }

  @Test
  void aMissingEndpointIsABadQueryAndADeadOneIsUnavailable() {
    try (FakeHttpServer service = new FakeHttpServer(uri -> new Reply(404, "not here"))) {
      ScrapeProvider provider = new ScrapeProvider(service.url() + "/nope", HttpClient.newHttpClient(), Duration.ofSeconds(1), clock);
      assertThatThrownBy(() -> provider.instant(new MetricRequest("x", "x")))
          .hasMessageContaining("answered 404").matches(e -> ((MetricQueryException) e).badQuery());
    }
    FakeHttpServer gone = new FakeHttpServer(uri -> new Reply(200, ""));
    String url = gone.url();
    gone.close();
    ScrapeProvider provider = new ScrapeProvider(url + "/metrics", HttpClient.newHttpClient(), Duration.ofSeconds(1), clock);
    assertThatThrownBy(() -> provider.instant(new MetricRequest("x", "x")))
        .hasMessageContaining("cannot scrape " + url).matches(e -> !((MetricQueryException) e).badQuery());
  }

  @Test
  void aPageThatIsNotPrometheusFormatIsNamed() {
    try (FakeHttpServer service = new FakeHttpServer(uri -> new Reply(200, "<html>login</html>"))) {
      ScrapeProvider provider = new ScrapeProvider(service.url(), HttpClient.newHttpClient(), Duration.ofSeconds(1), clock);
      assertThatThrownBy(() -> provider.instant(new MetricRequest("x", "x")))
          .hasMessageContaining("does not serve Prometheus text format").hasMessageContaining("line 1")
          .hasMessageNotContaining("login");
    }
  }

  static String services(int n, int breaching) {
    StringBuilder page = new StringBuilder("# TYPE error_rate gauge\n");
    for (int i = 0; i < n; i++) {
      page.append("error_rate{service=\"s-").append(i).append("\",zone=\"a\"} ").append(i == breaching ? 50 : i % 7).append('\n');
    }
    return page.toString();
  }

  @Test
  void queriesReadSinceOneVisitShareOneScrapeAndEachFindsItsOwnSeries() {
    try (FakeHttpServer service = new FakeHttpServer(uri -> new Reply(200, page.get()))) {
      page.set(services(2_000, 1_234));
      ScrapeProvider provider = new ScrapeProvider(service.url() + "/metrics", HttpClient.newHttpClient(), Duration.ofSeconds(1), clock);
      Instant tick = clock.instant();
      for (int i = 0; i < 2_000; i++) {
        Sample s = provider.instant(new MetricRequest("e", "error_rate{service=\"s-" + i + "\"}"), tick).orElseThrow();
        assertThat(s.value()).isEqualTo(i == 1_234 ? 50 : i % 7);
      }
      assertThat(provider.instant(new MetricRequest("e", "error_rate{zone=\"a\",service=\"s-3\"}"), tick))
          .contains(new Sample(T0, 3.0));
      assertThat(provider.instant(new MetricRequest("e", "error_rate{service=\"s-3\",zone=\"b\"}"), tick)).isEmpty();
      assertThat(provider.instant(new MetricRequest("e", "error_rate{service=\"nobody\"}"), tick)).isEmpty();
      assertThat(service.requests).hasSize(1);
      assertThat(provider.scrapes()).isEqualTo(1);

      // the next tick visits again, once
      clock.advance(Duration.ofSeconds(5));
      page.set(services(2_000, 7));
      Instant next = clock.instant();
      assertThat(provider.instant(new MetricRequest("e", "error_rate{service=\"s-7\"}"), next)).contains(new Sample(next, 50.0));
      assertThat(provider.instant(new MetricRequest("e", "error_rate{service=\"s-1234\"}"), next))
          .contains(new Sample(next, 1234 % 7));
      assertThat(service.requests).hasSize(2);
    }
  }

  @Test
  void aFailedVisitIsSharedByTheQueriesThatWouldHaveUsedIt() {
    FakeHttpServer gone = new FakeHttpServer(uri -> new Reply(200, ""));
    String url = gone.url();
    gone.close();
    ScrapeProvider provider = new ScrapeProvider(url + "/metrics", HttpClient.newHttpClient(), Duration.ofSeconds(1), clock);
    Instant tick = clock.instant();
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> provider.instant(new MetricRequest("e", "error_rate{service=\"s-1\"}"), tick))
          .hasMessageContaining("cannot scrape");
    }
    assertThat(provider.scrapes()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(5));
    assertThatThrownBy(() -> provider.instant(new MetricRequest("e", "error_rate{service=\"s-1\"}"), clock.instant()))
        .hasMessageContaining("cannot scrape");
    assertThat(provider.scrapes()).isEqualTo(2); // the next tick tries again
  }

  @Test
  void aMetricNameNoEarlierQueryAskedForIsScrapedAtOnce() {
    try (FakeHttpServer service = new FakeHttpServer(uri -> new Reply(200, page.get()))) {
      page.set(metrics(90, 10));
      ScrapeProvider provider = new ScrapeProvider(service.url() + "/metrics", HttpClient.newHttpClient(), Duration.ofSeconds(1), clock);
      Instant tick = clock.instant();
      assertThat(provider.instant(new MetricRequest("r", "http_requests_total{service=\"api\"}"), tick)).isPresent();
      // the first scrape kept only http_requests_total's lines
      assertThat(provider.instant(new MetricRequest("t", "jvm_threads_live_threads"), tick)).contains(new Sample(T0, 42.0));
      assertThat(service.requests).hasSize(2);
    }
  }
}
