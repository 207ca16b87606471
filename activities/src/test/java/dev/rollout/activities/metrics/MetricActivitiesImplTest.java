package dev.rollout.activities.metrics;

import static dev.rollout.activities.metrics.ScriptedMetrics.trigger;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.activities.MetricActivities;
import dev.rollout.activities.MetricActivities.BoundGate;
import dev.rollout.activities.MetricActivities.GateResult;
import dev.rollout.activities.MetricActivities.Verdict;
import dev.rollout.activities.MetricActivities.WatchResult;
import dev.rollout.activities.metrics.TriggerWatcher.WatchProgress;
import dev.rollout.plan.NoDataAction;
import dev.rollout.plan.Target;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The watch activity as a rollout runs it (scheduled by a workflow on Temporal's test server in real
 * time, completed asynchronously by the worker's scheduler), with values the test changes while it
 * runs. Heartbeat timeout 1 s, one attempt unless a test says otherwise.
 */
class MetricActivitiesImplTest {
  static final Target TARGET = new Target("api", "production");
  static final Duration FAST = Duration.ofMillis(100);

  ScriptedMetrics metrics = new ScriptedMetrics();
  WatchHarness harness;
  MetricActivities activities;

  @BeforeEach
  void start() {
    harness = new WatchHarness(metrics.providers);
    activities = harness.activities();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void returnsAsSoonAsATriggerFires() {
    metrics.values.put("error_rate", 0.001);
    BoundGate errors = trigger("errors-up", "error_rate", ">", "1%", FAST, NoDataAction.FAIL);
    CompletableFuture<WatchResult> watch =
        CompletableFuture.supplyAsync(() -> activities.watch("r1", TARGET, List.of(errors), Duration.ofMinutes(1)));
    Poll.until(() -> metrics.reads("error_rate") >= 3, Duration.ofSeconds(20));
    assertThat(watch).isNotDone();
    metrics.values.put("error_rate", 0.05);
    WatchResult result = watch.join();
    assertThat(result.fired().gate()).isEqualTo("errors-up");
    assertThat(result.fired().verdict()).isEqualTo(Verdict.FAIL);
    assertThat(result.fired().value()).isEqualTo(0.05);
    assertThat(result.fired().detail()).isEqualTo("error_rate = 5% > 1%");
    assertThat(result.checks()).isGreaterThanOrEqualTo(4);
  }

  @Test
  void watchesForTheWholeWindowWhenNothingFiresAndHeartbeatsProgress() {
    metrics.values.put("error_rate", 0.001);
    BoundGate errors = trigger("errors-up", "error_rate", ">", "1%", FAST, NoDataAction.FAIL);
    // Three times the heartbeat timeout, one attempt: only a watch that heartbeats lives through it.
    var watch = harness.start("r1", TARGET, List.of(errors), Duration.ofMillis(3000));
    WatchProgress progress = Poll.until(() -> harness.progress().orElse(null),
        p -> p != null && !p.last().isEmpty(), Duration.ofSeconds(20));
    assertThat(progress.last()).extracting(GateResult::gate).containsExactly("errors-up");
    WatchResult result = WatchHarness.result(watch);
    assertThat(result.fired()).isNull();
    assertThat(result.last()).extracting(GateResult::verdict).containsExactly(Verdict.PASS);
    assertThat(result.checks()).isBetween(20, 30);
    assertThat(harness.stats().watches()).isZero();
  }

  @Test
  void checksEachTriggerAtItsOwnInterval() {
    metrics.values.put("error_rate", 0.0);
    metrics.values.put("memory", 1.0);
    BoundGate often = trigger("errors", "error_rate", ">", "1%", FAST, NoDataAction.FAIL);
    BoundGate rarely = trigger("memory", "memory", ">", "100", Duration.ofHours(1), NoDataAction.FAIL);
    WatchResult result = activities.watch("r1", TARGET, List.of(often, rarely), Duration.ofMillis(700));
    assertThat(result.fired()).isNull();
    assertThat(metrics.reads("memory")).isEqualTo(1);
    assertThat(metrics.reads("error_rate")).isBetween(5, 9);
  }

  @Test
  void noDataHoldsOrFiresAsTheTriggerSays() {
    BoundGate hold = trigger("quiet", "absent", ">", "1", FAST, NoDataAction.HOLD);
    assertThat(activities.watch("r1", TARGET, List.of(hold), Duration.ofMinutes(1)).fired().verdict())
        .isEqualTo(Verdict.INCONCLUSIVE);
    BoundGate pass = trigger("quiet", "absent", ">", "1", FAST, NoDataAction.PASS);
    assertThat(activities.watch("r1", TARGET, List.of(pass), Duration.ofMillis(300)).fired()).isNull();
    BoundGate fail = trigger("quiet", "absent", ">", "1", FAST, NoDataAction.FAIL);
    assertThat(activities.watch("r1", TARGET, List.of(fail), Duration.ofMinutes(1)).fired().verdict())
        .isEqualTo(Verdict.FAIL);
  }

  @Test
  void aWatchLostInAWorkerRestartIsRetriedAndResumesItsWindowAndCountFromTheLastHeartbeat() {
    metrics.values.put("error_rate", 0.0);
    BoundGate errors = trigger("errors", "error_rate", ">", "1%", FAST, NoDataAction.FAIL);
    harness.options(Duration.ofSeconds(1), 3);
    long began = System.nanoTime();
    var watch = harness.start("r1", TARGET, List.of(errors), Duration.ofSeconds(5));
    WatchProgress before = Poll.until(() -> harness.progress().orElse(null),
        p -> p != null && p.checks() >= 5, Duration.ofSeconds(20));
    harness.restartWorker();
    Poll.until(() -> harness.stats().watches() == 1, Duration.ofSeconds(20)); // the retry registered again
    WatchResult result = WatchHarness.result(watch);
    assertThat(result.fired()).isNull();
    assertThat(result.checks()).isGreaterThan(before.checks());
    // The window is the first attempt's: it ends 5 s (less the margin) after the watch began, not after the retry.
    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofMillis(6500));
  }

  @Test
  void stopsWhenCancelled() {
    metrics.values.put("error_rate", 0.0);
    BoundGate errors = trigger("errors", "error_rate", ">", "1%", FAST, NoDataAction.FAIL);
    var watch = harness.start("r1", TARGET, List.of(errors), Duration.ofMinutes(1));
    Poll.until(() -> harness.progress().isPresent(), Duration.ofSeconds(20));
    harness.cancel();
    // The workflow waits for the cancellation to be reported: the watch noticed it at a heartbeat.
    assertThatThrownBy(() -> WatchHarness.result(watch)).hasStackTraceContaining("Cancel");
    assertThat(harness.stats().watches()).isZero();
    assertThat(harness.stats().cancelled()).isEqualTo(1);
    int reads = metrics.reads("error_rate");
    Poll.until(() -> harness.stats().feeds() == 0, Duration.ofSeconds(5));
    assertThat(metrics.reads("error_rate")).isLessThanOrEqualTo(reads + 1);
  }

}
