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
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The watcher on Temporal's activity test environment, with values the test changes while it runs. */
class MetricActivitiesImplTest {
  static final Target TARGET = new Target("api", "production");
  static final Duration FAST = Duration.ofMillis(100);

  ScriptedMetrics metrics = new ScriptedMetrics();
  TestActivityEnvironment env;
  MetricActivities activities;
  List<WatchProgress> heartbeats = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new MetricActivitiesImpl(metrics.providers, Clock.systemUTC()));
    env.setActivityHeartbeatListener(WatchProgress.class, heartbeats::add);
    activities = env.newActivityStub(MetricActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        .setHeartbeatTimeout(Duration.ofSeconds(1))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build());
  }

  @AfterEach
  void stop() {
    env.close();
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
    WatchResult result = activities.watch("r1", TARGET, List.of(errors), Duration.ofMillis(600));
    assertThat(result.fired()).isNull();
    assertThat(result.last()).extracting(GateResult::verdict).containsExactly(Verdict.PASS);
    assertThat(result.checks()).isBetween(4, 8);
    assertThat(heartbeats).isNotEmpty();
    assertThat(heartbeats.get(heartbeats.size() - 1).last()).extracting(GateResult::gate).containsExactly("errors-up");
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
  void aRetriedWatchResumesItsWindowFromTheLastHeartbeat() {
    metrics.values.put("error_rate", 0.0);
    BoundGate errors = trigger("errors", "error_rate", ">", "1%", FAST, NoDataAction.FAIL);
    env.setHeartbeatDetails(new WatchProgress(Instant.now().minusSeconds(60), 41, List.of()));
    WatchResult result = activities.watch("r1", TARGET, List.of(errors), Duration.ofSeconds(60));
    assertThat(result.fired()).isNull();
    assertThat(result.checks()).isEqualTo(42);
  }

  @Test
  void stopsWhenCancelled() {
    metrics.values.put("error_rate", 0.0);
    BoundGate errors = trigger("errors", "error_rate", ">", "1%", FAST, NoDataAction.FAIL);
    CompletableFuture<WatchResult> watch =
        CompletableFuture.supplyAsync(() -> activities.watch("r1", TARGET, List.of(errors), Duration.ofMinutes(1)));
    Poll.until(() -> !heartbeats.isEmpty(), Duration.ofSeconds(20));
    env.requestCancelActivity();
    assertThatThrownBy(watch::join).hasStackTraceContaining("Cancel");
  }

}
