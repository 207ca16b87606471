package dev.rollout.activities.metrics.scripted;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.activities.metrics.MetricRequest;
import dev.rollout.activities.metrics.MutableClock;
import dev.rollout.activities.metrics.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScriptedProviderTest {
  static final Instant T0 = Instant.parse("2026-01-05T02:00:00Z");

  @Test
  void answersThePlansFixedValuesByMetricName() {
    ScriptedProvider provider = new ScriptedProvider(Map.of("error_rate", 0.002), new MutableClock(T0));
    assertThat(provider.instant(new MetricRequest("error_rate", "sum(rate(x[5m]))"))).contains(new Sample(T0, 0.002));
    assertThat(provider.instant(new MetricRequest("p95_latency", "histogram_quantile(...)"))).isEmpty();
  }

  @Test
  void aRangeHoldsTheValueAtEveryStep() {
    ScriptedProvider provider = new ScriptedProvider(Map.of("error_rate", 0.05), new MutableClock(T0));
    assertThat(provider.range(new MetricRequest("error_rate", "q"), Duration.ofMinutes(3), Duration.ofMinutes(1)))
        .containsExactly(new Sample(T0.minusSeconds(180), 0.05), new Sample(T0.minusSeconds(120), 0.05),
            new Sample(T0.minusSeconds(60), 0.05), new Sample(T0, 0.05));
  }

  @Test
  void aScriptChangesValuesOverTime() {
    MutableClock clock = new MutableClock(T0);
    ScriptedProvider provider =
        new ScriptedProvider((metric, at) -> at.isBefore(T0.plusSeconds(60)) ? 0.001 : 0.2, clock);
    assertThat(provider.instant(new MetricRequest("error_rate", "q")).map(Sample::value)).contains(0.001);
    clock.advance(Duration.ofMinutes(2));
    assertThat(provider.instant(new MetricRequest("error_rate", "q")).map(Sample::value)).contains(0.2);
  }
}
