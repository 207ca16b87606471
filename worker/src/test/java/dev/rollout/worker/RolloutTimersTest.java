package dev.rollout.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.uber.m3.util.Duration;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rollout's per-target timers are scraped as count, sum and max, without a percentile
 * histogram per rollout (Temporal's reporter asks for one on every timer); the SDK's own timers
 * keep their buckets.
 */
class RolloutTimersTest {

  @Test
  void aRolloutTimerIsScrapedWithoutBucketsWhileTheSdksTimersKeepThem() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(new WorkflowBeans().rolloutTimersWithoutHistograms());
    MicrometerClientStatsReporter reporter = new MicrometerClientStatsReporter(registry);

    reporter.reportTimer("rollout_rollback_duration", Map.of("outcome", "ROLLED_BACK", "target", "api/prod"),
        Duration.ofMillis(1200));
    reporter.reportTimer("temporal_workflow_task_execution_latency", Map.of("task_queue", "rollouts"),
        Duration.ofMillis(3));
    String scrape = registry.scrape();

    assertThat(scrape).contains("rollout_rollback_duration_seconds_count{outcome=\"ROLLED_BACK\",target=\"api/prod\"} 1");
    assertThat(scrape).contains("rollout_rollback_duration_seconds_sum{outcome=\"ROLLED_BACK\",target=\"api/prod\"} 1.2");
    assertThat(scrape).doesNotContain("rollout_rollback_duration_seconds_bucket");
    assertThat(scrape).contains("temporal_workflow_task_execution_latency_seconds_bucket");
  }
}
