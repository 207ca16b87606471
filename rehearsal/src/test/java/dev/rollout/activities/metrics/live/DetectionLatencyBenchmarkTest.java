package dev.rollout.activities.metrics.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.activities.MetricActivities;
import dev.rollout.activities.MetricActivities.BoundGate;
import dev.rollout.activities.MetricActivities.BoundMetric;
import dev.rollout.activities.MetricActivities.WatchResult;
import dev.rollout.activities.metrics.MetricActivitiesImpl;
import dev.rollout.activities.metrics.Poll;
import dev.rollout.activities.metrics.WatchHarness;
import dev.rollout.plan.Comparison;
import dev.rollout.plan.Gate;
import dev.rollout.plan.MetricQuery;
import dev.rollout.plan.NoDataAction;
import dev.rollout.plan.Quantity;
import dev.rollout.plan.Target;
import dev.rollout.workflow.Outcome;
import dev.rollout.workflow.RolloutState;
import dev.rollout.workflow.RolloutStatus;
import dev.rollout.workflow.RolloutWorkflow;
import io.temporal.client.WorkflowStub;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Measures, over {@code -Dbench.runs} (default 20) runs each, how long a breach takes to act on:
 * breach visible in Prometheus → watcher returned, and → rollback started / finished in a rollout
 * baking with a 1 s trigger. Prints median and p95; asserts only outcomes, never timings.
 */
@Tag("integration")
class DetectionLatencyBenchmarkTest {
  static final int RUNS = Integer.getInteger("bench.runs", 20);

  final LivePrometheus prometheus = LivePrometheus.require();
  /**
   * A service's data first shows right after a scrape, so without a random delay the watcher's
   * 1 s checks would always fall just after Prometheus' 1 s scrapes and look faster than they are.
   */
  final java.util.Random phase = new java.util.Random(6);

  @Test
  void breachToWatcherFired() {
    Latencies figures = new Latencies();
    WatchHarness harness = new WatchHarness(prometheus.providers()).options(Duration.ofSeconds(10), 1);
    MetricActivities activities = harness.activities();
    try {
      for (int run = -1; run < RUNS; run++) { // run -1 warms up the JVM and is not counted
        Target target = target();
        try (SwitchableService service = serviceWithData(target)) {
          pause(Duration.ofMillis(phase.nextInt(1000))); // checks land anywhere between two scrapes
          CompletableFuture<WatchResult> watch = CompletableFuture.supplyAsync(
              () -> activities.watch("bench", target, List.of(trigger()), Duration.ofMinutes(1)));
          pause(Duration.ofMillis(1500)); // let the watcher settle into its 1 s rhythm before the breach
          Instant switched = Instant.now();
          service.errorRate(0.2);
          CompletableFuture<Instant> breach = BreachWatch.start(prometheus, target.service());
          WatchResult result = watch.join();
          Instant fired = Instant.now();
          assertThat(result.fired()).isNotNull();
          if (run < 0) continue;
          figures.add("switch -> breach visible in Prometheus", ms(switched, breach.join()));
          figures.add("breach -> watcher returned", ms(breach.join(), fired));
        }
      }
    } finally {
      harness.close();
    }
    System.out.println(figures.report("Trigger watcher, 1 s interval, Prometheus scraping every 1 s (" + RUNS + " runs)"));
  }

  @Test
  void breachToRollback() {
    Latencies figures = new Latencies();
    try (LiveRollout rollout = new LiveRollout(prometheus)) {
      for (int run = -1; run < RUNS; run++) {
        Target target = target();
        try (SwitchableService service = serviceWithData(target)) {
          pause(Duration.ofMillis(phase.nextInt(1000)));
          RolloutWorkflow workflow = rollout.start(rollout.plan(target, Duration.ofMinutes(5)));
          RolloutStatus baking = Poll.until(workflow::status, s -> s.state() == RolloutState.BAKING, Duration.ofSeconds(30));
          pause(Duration.ofMillis(1500));
          service.errorRate(0.2);
          CompletableFuture<Instant> breach = BreachWatch.start(prometheus, target.service());
          Instant[] started = new Instant[1];
          Poll.until(workflow::status, s -> {
            if (started[0] == null && (s.state() == RolloutState.ROLLING_BACK || s.state().terminal())) started[0] = Instant.now();
            return s.state().terminal();
          }, Duration.ofSeconds(90));
          Instant finished = Instant.now();
          assertThat(baking).isNotNull();
          assertThat(WorkflowStub.fromTyped(workflow).getResult(dev.rollout.workflow.RolloutResult.class).outcome())
              .isEqualTo(Outcome.ROLLED_BACK);
          if (run < 0) continue;
          figures.add("breach -> rollback started", ms(breach.join(), started[0]));
          figures.add("breach -> rollback finished", ms(breach.join(), finished));
        }
      }
    }
    System.out.println(figures.report("Rollout baking with a 1 s trigger, real metric activities (" + RUNS + " runs)"));
  }

  Target target() {
    return new Target("bench-" + UUID.randomUUID().toString().substring(0, 8), "bench");
  }

  SwitchableService serviceWithData(Target target) {
    return prometheus.serve(target);
  }

  BoundGate trigger() {
    Gate gate = new Gate("errors-up", "error_rate", Comparison.GT, Quantity.parse("1%"), null, null,
        Duration.ofSeconds(1), NoDataAction.PASS);
    return new BoundGate(gate, new BoundMetric("error_rate",
        new MetricQuery("prometheus", LivePrometheus.ERROR_RATE, "", null), prometheus.source), null);
  }

  /** Spacing between the watcher's start and the breach, so breaches land anywhere in its interval. */
  static void pause(Duration d) {
    LockSupport.parkNanos(d.toNanos());
  }

  static long ms(Instant from, Instant to) {
    return Duration.between(from, to).toMillis();
  }
}
