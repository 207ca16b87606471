package dev.rollout.activities.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.activities.MetricActivities.BoundMetric;
import dev.rollout.plan.MetricQuery;
import dev.rollout.plan.Target;
import dev.rollout.plan.Tracks;
import dev.rollout.plan.Tracks.Track;
import org.junit.jupiter.api.Test;

class QueryTemplateTest {
  static final Target TARGET = new Target("drivemind", "production");

  @Test
  void fillsServiceAndEnvironment() {
    assertThat(QueryTemplate.fill("errors", "sum(rate(x{service=\"${service}\",env=\"${environment}\"}[5m]))", TARGET))
        .isEqualTo("sum(rate(x{service=\"drivemind\",env=\"production\"}[5m]))");
  }

  @Test
  void anUnknownPlaceholderIsNamed() {
    assertThatThrownBy(() -> QueryTemplate.fill("errors", "x{region=\"${region}\"}", TARGET))
        .hasMessage("metric 'errors' query uses unknown placeholder ${region} (known: ${service}, ${environment}, ${track})");
  }

  @Test
  void fillsTheTrackAskedForFromTheMetricsTracks() {
    BoundMetric latency = new BoundMetric("p95", new MetricQuery("prom",
        "p95{service=\"${service}\",version=\"${track}\"}", "ms", null, new Tracks("v2", "v1")), null);
    assertThat(QueryTemplate.bind(latency, TARGET).query()).isEqualTo("p95{service=\"drivemind\",version=\"v2\"}");
    assertThat(QueryTemplate.bind(latency, TARGET, Track.STABLE).query())
        .isEqualTo("p95{service=\"drivemind\",version=\"v1\"}");
  }

  @Test
  void aTrackPlaceholderWithoutTracksIsABadQuery() {
    BoundMetric latency = new BoundMetric("p95", new MetricQuery("prom", "p95{version=\"${track}\"}", "ms", null), null);
    assertThatThrownBy(() -> QueryTemplate.bind(latency, TARGET))
        .isInstanceOf(MetricQueryException.class)
        .hasMessageContaining("metric 'p95' query uses ${track} but the metric declares no tracks");
  }

  @Test
  void aLabelValueCannotBreakOutOfItsQuotes() {
    Target hostile = new Target("orders\",job=~\".*", "prod'\\");
    assertThat(QueryTemplate.fill("errors", "x{service=\"${service}\",env='${environment}'}", hostile))
        .isEqualTo("x{service=\"orders\\\",job=~\\\".*\",env='prod\\'\\\\'}");
    assertThatThrownBy(() -> QueryTemplate.fill("errors", "x{service=`${service}`}", new Target("a`b", "prod")))
        .hasMessageContaining("backtick");
  }
}
