package dev.rollout.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import dev.rollout.plan.Plans;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import dev.rollout.rehearsal.Scenario.MetricRule;
import dev.rollout.workflow.Outcome;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rollout metrics a rehearsal emits, as Prometheus scrapes them: the canary plan rolled back
 * by an error spike in wave 2 after the wave-1 approvals. (The real rollout's metrics are checked in
 * the worker's WorkerEndToEndTest and RolloutGaugesTest.)
 */
class RolloutMetricsTest {

  @Test
  void aRehearsedRollbackCountsOutcomeVerdictsApprovalWaitDetectionAndRollbackTime() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Scope scope = new RootScopeBuilder()
        .reporter(new MicrometerClientStatsReporter(registry))
        .reportEvery(com.uber.m3.util.Duration.ofSeconds(60));
    Scenario spike = new Scenario("errors in wave 2", null,
        List.of(new MetricRule("error_rate", "12%", "wave-2-beta", null)), null, null, null, null);
    RehearsalResult r;
    try (Rehearsal rehearsal = Rehearsal.open(spike, scope)) {
      rehearsal.start(Plans.load(Path.of("../plans/batch-patches-canary.yaml")), Rehearsal.STARTER);
      r = rehearsal.drive();
    }
    scope.close(); // reports what is buffered
    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);

    String scrape = registry.scrape();
    String target = "target=\"batch-patches/production\"";
    assertThat(value(line(scrape, "rollout_started_total", target))).isEqualTo(1.0);
    assertThat(value(line(scrape, "rollout_finished_total", "outcome=\"ROLLED_BACK\"", target))).isEqualTo(1.0);
    assertThat(scrape).doesNotContain("outcome=\"COMPLETED\"");
    // wave 1's go/no-go (the plan's sign-off is checklist items, its only entry approval opens
    // wave 4), then nothing more: the rollback came first
    assertThat(scrape.lines().filter(l -> l.startsWith("rollout_approval_wait_seconds_count{"))
        .filter(l -> l.contains("kind=\"entry-approval\""))).isEmpty();
    assertThat(value(line(scrape, "rollout_approval_wait_seconds_count", "kind=\"exit-approval\""))).isEqualTo(1.0);
    assertThat(line(scrape, "rollout_verdicts_total", "kind=\"trigger\"", "verdict=\"FAIL\"")).isNotNull();
    assertThat(line(scrape, "rollout_verdicts_total", "kind=\"gate\"", "verdict=\"PASS\"")).isNotNull();
    assertThat(value(line(scrape, "rollout_detection_latency_seconds_count", "gate=\""))).isEqualTo(1.0);
    assertThat(value(line(scrape, "rollout_rollback_duration_seconds_count", "outcome=\"ROLLED_BACK\""))).isEqualTo(1.0);
    // A rollback's timers are fleet-wide: a histogram per target would be a new meter with its
    // buckets for each of thousands of targets rolling back at once.
    assertThat(scrape.lines().filter(l -> l.startsWith("rollout_detection_latency_seconds")
        || l.startsWith("rollout_rollback_duration_seconds"))).isNotEmpty().noneMatch(l -> l.contains("target=") || l.contains("plan="));
  }

  static double value(String line) {
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  /** The first sample line of {@code metric} carrying every label given; fails when there is none. */
  static String line(String scrape, String metric, String... labels) {
    return scrape.lines()
        .filter(l -> l.startsWith(metric + "{"))
        .filter(l -> List.of(labels).stream().allMatch(l::contains))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + metric + " with " + List.of(labels) + " in\n"
            + scrape.lines().filter(l -> l.startsWith("rollout_")).reduce("", (a, b) -> a + b + "\n")));
  }
}
