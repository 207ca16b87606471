package dev.rollout.activities.metrics.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.activities.MetricActivities.BoundMetric;
import dev.rollout.activities.metrics.WatchHarness;
import dev.rollout.plan.MetricQuery;
import dev.rollout.plan.Target;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A label injection against the real Prometheus: a target whose service name closes its quotes
 * and adds a selector of its own. Pasted in as text, the query answers what the attacker chose;
 * through the activities, the name stays a literal label value and matches nothing.
 */
@Tag("integration")
class PromqlInjectionIntegrationTest {
  static final String QUERY = "count(up{job=\"${service}\"}) or vector(-1)";
  static final String EVIL = "nothing\"} or vector(42) or up{job=\"nothing";

  @Test
  void aServiceNameCannotCloseItsQuotesAndChooseTheAnswer() {
    LivePrometheus prometheus = LivePrometheus.require();
    assertThat(prometheus.value(QUERY, EVIL)).as("the same text pasted in unescaped: the attack works").contains(1.0);

    try (WatchHarness harness = new WatchHarness(prometheus.providers()).options(Duration.ofSeconds(5), 1)) {
      BoundMetric metric = new BoundMetric("m", new MetricQuery("prometheus", QUERY, "", null), prometheus.source);
      var values = harness.activities().baseline("it-promql", new Target(EVIL, "it"), List.of(metric));
      assertThat(values.get("m")).as("escaped: no job has that literal name").isEqualTo(-1.0);
    }
  }
}
