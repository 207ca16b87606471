package dev.rollout.activities.metrics.scripted;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.activities.gates.Sample;
import dev.rollout.activities.metrics.MetricRequest;
import dev.rollout.plan.MetricSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScriptedProviderTest {
  static final Instant T0 = Instant.parse("2026-01-05T02:00:00Z");

  @Test
  void answersThePlansFixedValuesByMetricName() {
    ScriptedProvider provider = new ScriptedProvider();
    MetricSource.Scripted source = new MetricSource.Scripted(Map.of("error_rate", 0.002));
    assertThat(provider.instant(source, new MetricRequest("error_rate", "sum(rate(x[5m]))"), T0))
        .contains(new Sample(T0, 0.002));
    assertThat(provider.instant(source, new MetricRequest("p95_latency", "histogram_quantile(...)"), T0)).isEmpty();
  }

  @Test
  void aRangeHoldsTheValueAtEveryStep() {
    ScriptedProvider provider = new ScriptedProvider();
    MetricSource.Scripted source = new MetricSource.Scripted(Map.of("error_rate", 0.05));
    assertThat(provider.range(source, new MetricRequest("error_rate", "q"), T0, Duration.ofMinutes(3), Duration.ofMinutes(1)))
        .containsExactly(new Sample(T0.minusSeconds(180), 0.05), new Sample(T0.minusSeconds(120), 0.05),
            new Sample(T0.minusSeconds(60), 0.05), new Sample(T0, 0.05));
  }

  @Test
  void aScriptChangesValuesOverTime() {
    ScriptedProvider provider =
        new ScriptedProvider((source, metric, at) -> at.isBefore(T0.plusSeconds(60)) ? 0.001 : 0.2);
    MetricSource.Scripted source = new MetricSource.Scripted(Map.of());
    assertThat(provider.instant(source, new MetricRequest("error_rate", "q"), T0).map(Sample::value)).contains(0.001);
    assertThat(provider.instant(source, new MetricRequest("error_rate", "q"), T0.plusSeconds(120)).map(Sample::value))
        .contains(0.2);
  }
}
