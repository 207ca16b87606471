package dev.rollout.activities.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.activities.gates.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SampleHistoryTest {
  static final Instant T0 = Instant.parse("2026-01-05T02:00:00Z");

  static SampleHistory.Scrape scrape(int second, double requests, double errors) {
    return new SampleHistory.Scrape(T0.plusSeconds(second), List.of(
        new Exposition.Line("requests_total", Map.of("service", "api", "outcome", "success"), requests - errors),
        new Exposition.Line("requests_total", Map.of("service", "api", "outcome", "error"), errors),
        new Exposition.Line("requests_total", Map.of("service", "other", "outcome", "error"), 999)));
  }

  @Test
  void aSelectorSumsTheMatchingSeries() {
    SampleHistory history = new SampleHistory(Duration.ofHours(1), 100);
    history.add(scrape(0, 100, 4));
    assertThat(history.evaluate(ScrapeQuery.parse("requests_total{service=\"api\"}"), T0))
        .containsExactly(new Sample(T0, 100));
    assertThat(history.evaluate(ScrapeQuery.parse("requests_total{service=\"none\"}"), T0)).isEmpty();
  }

  @Test
  void rateAndRatioOverTheKeptScrapesSurviveACounterReset() {
    SampleHistory history = new SampleHistory(Duration.ofHours(1), 100);
    history.add(scrape(0, 100, 0));
    history.add(scrape(10, 200, 0));
    history.add(scrape(20, 50, 10)); // restarted: counts from 0 again
    ScrapeQuery errorRatio = ScrapeQuery.parse(
        "rate(requests_total{service=\"api\",outcome=\"error\"}[30s]) / rate(requests_total{service=\"api\"}[30s])");
    List<Sample> ratios = history.evaluate(errorRatio, T0);
    // at 10 s: 0 errors of 100; at 20 s: 10 errors of 100 + 50 requests
    assertThat(ratios).extracting(Sample::value).containsExactly(0.0, 10.0 / 150);
    ScrapeQuery requests = ScrapeQuery.parse("rate(requests_total{service=\"api\"}[30s])");
    assertThat(history.evaluate(requests, T0.plusSeconds(20))).extracting(Sample::value).containsExactly(150.0 / 20);
  }

  @Test
  void keepsOnlyAsManyScrapesAsItMay() {
    SampleHistory history = new SampleHistory(Duration.ofSeconds(30), 3);
    for (int s = 0; s < 100; s += 10) history.add(scrape(s, s, 0));
    assertThat(history.size()).isEqualTo(3);
  }

  @Test
  void keepsNoMoreLinesThanItsBudgetButAlwaysTheLatestScrape() {
    SampleHistory history = new SampleHistory(Duration.ofHours(1), 100, 7); // 3 lines a scrape
    for (int s = 0; s < 100; s += 10) history.add(scrape(s, s, 0));
    assertThat(history.size()).isEqualTo(2);
    SampleHistory tiny = new SampleHistory(Duration.ofHours(1), 100, 1);
    tiny.add(scrape(0, 5, 0));
    assertThat(tiny.evaluate(ScrapeQuery.parse("requests_total{service=\"api\"}"), T0)).containsExactly(new Sample(T0, 5));
  }

  @Test
  void whatItCannotAnswerIsNamed() {
    assertThatThrownBy(() -> ScrapeQuery.parse("histogram_quantile(0.95, sum by (le)(rate(x_bucket[5m])))"))
        .hasMessageContaining("is not understood");
    assertThatThrownBy(() -> ScrapeQuery.parse("x{a!=\"b\"}")).hasMessageContaining("bad label matcher `a!=\"b\"`");
  }
}
