package dev.rollout.activities.metrics;

import static dev.rollout.activities.metrics.ScriptedMetrics.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.activities.MetricActivities.BoundGate;
import dev.rollout.activities.MetricActivities.BoundMetric;
import dev.rollout.activities.MetricActivities.Verdict;
import dev.rollout.activities.MetricActivities.WatchResult;
import dev.rollout.activities.metrics.TriggerWatcher.WatchProgress;
import dev.rollout.plan.Comparison;
import dev.rollout.plan.Gate;
import dev.rollout.plan.MetricQuery;
import dev.rollout.plan.MetricSource;
import dev.rollout.plan.NoDataAction;
import dev.rollout.plan.Quantity;
import dev.rollout.plan.Target;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.ActivityCompletionFailureException;
import io.temporal.client.ActivityNotExistsException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared watch scheduler on its own, answering to fake activities. */
class WatchSchedulerTest {
  static final Target API = new Target("api", "production");
  static final Duration EVERY = Duration.ofMillis(200);

  final ScriptedMetrics metrics = new ScriptedMetrics();
  final GateChecker checker = new GateChecker(metrics.providers, Clock.systemUTC());
  final WatchScheduler scheduler = new WatchScheduler(checker, Clock.systemUTC(), 2, 2);

  /** A fake activity: records what it is sent; says "cancelled" or "gone" when told to. */
  static final class FakeActivity implements WatchScheduler.Reply {
    final List<WatchProgress> heartbeats = new CopyOnWriteArrayList<>();
    final AtomicReference<WatchResult> completed = new AtomicReference<>();
    final AtomicReference<WatchProgress> cancellation = new AtomicReference<>();
    volatile String answer = "running";
    /** While set, a heartbeat waits for it: a server that answers slowly. */
    volatile CountDownLatch slowServer;
    /** How many completions the server refuses before it takes one (overloaded for a moment). */
    final AtomicInteger refusedCompletions = new AtomicInteger();

    @Override
    public void heartbeat(WatchProgress progress) {
      CountDownLatch slow = slowServer;
      if (slow != null) {
        try {
          slow.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (answer.equals("cancelled")) throw new ActivityCanceledException();
      if (answer.equals("gone")) throw new ActivityNotExistsException("gone", null);
      heartbeats.add(progress);
    }

    @Override
    public void complete(WatchResult result) {
      if (refusedCompletions.getAndDecrement() > 0) {
        throw new ActivityCompletionFailureException(new StatusRuntimeException(Status.DEADLINE_EXCEEDED));
      }
      if (!completed.compareAndSet(null, result)) throw new AssertionError("completed twice");
    }

    @Override
    public void reportCancellation(WatchProgress progress) {
      cancellation.set(progress);
    }
  }

  @AfterEach
  void stop() {
    scheduler.close();
  }

  FakeActivity watch(String id, Target target, Duration window, BoundGate... triggers) {
    FakeActivity activity = new FakeActivity();
    scheduler.register(id, new TriggerWatcher(checker, target, List.of(triggers), Instant.now(), window, 0),
        activity, Duration.ofMillis(100));
    return activity;
  }

  @Test
  void watchesOfTheSameQueryAtTheSameIntervalShareOneReadPerInterval() {
    metrics.values.put("error_rate", 0.001);
    List<FakeActivity> watches = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      // Each rollout has its own threshold: the reading is shared, the judgement is not.
      BoundGate t = trigger("errors", "error_rate", ">", (i + 1) + "%", EVERY, NoDataAction.FAIL);
      watches.add(watch("wf-" + i + "/1", API, Duration.ofMinutes(1), t));
    }
    Poll.until(() -> watches.stream().allMatch(w -> !w.heartbeats.isEmpty() && w.heartbeats.get(w.heartbeats.size() - 1).checks() >= 3),
        Duration.ofSeconds(20));
    assertThat(scheduler.stats().feeds()).isEqualTo(1);
    assertThat(scheduler.stats().watches()).isEqualTo(50);
    // Every read is judged by all 50 watches (not a read per watch), however many intervals a loaded
    // machine took to get here.
    int reads = metrics.reads("error_rate");
    assertThat(reads).isGreaterThanOrEqualTo(3);
    assertThat(scheduler.stats().checks()).isGreaterThanOrEqualTo(50L * (reads - 2));
  }

  @Test
  void manyWatchesOfOneScrapeSourceEachWithItsOwnQueryShareOneScrapePerInterval() {
    int services = 300;
    StringBuilder page = new StringBuilder();
    for (int i = 0; i < services; i++) page.append("error_rate{service=\"s-").append(i).append("\"} 0.1\n");
    try (FakeHttpServer endpoint = new FakeHttpServer(uri -> new FakeHttpServer.Reply(200, page.toString()))) {
      MetricSource source = new MetricSource.Scrape(endpoint.url() + "/metrics");
      BoundMetric metric = new BoundMetric("error_rate", new MetricQuery("target", "error_rate{service=\"${service}\"}", "", null), source);
      Gate gate = new Gate("errors", "error_rate", Comparison.GT, Quantity.parse("1"), null, null, EVERY, NoDataAction.FAIL);
      List<FakeActivity> watches = new ArrayList<>();
      for (int i = 0; i < services; i++) {
        watches.add(watch("wf-" + i + "/1", new Target("s-" + i, "production"), Duration.ofMinutes(1), new BoundGate(gate, metric, null)));
        // rollouts start at any moment, not all in one interval's phase
        if (i % 60 == 59) LockSupport.parkNanos(EVERY.dividedBy(3).toNanos());
      }
      Poll.until(() -> watches.stream().allMatch(w -> !w.heartbeats.isEmpty() && w.heartbeats.get(w.heartbeats.size() - 1).checks() >= 2),
          Duration.ofSeconds(30));
      assertThat(scheduler.stats().feeds()).isEqualTo(services); // a query each
      int before = endpoint.requests.size();
      long checks = scheduler.stats().checks();
      Poll.until(() -> scheduler.stats().checks() >= checks + 5 * services, Duration.ofSeconds(30));
      // Five checks of each of 300 watches from about five scrapes of the whole endpoint, however
      // their watches' phases fall: one visit per interval, not one per watch or per phase.
      assertThat(endpoint.requests.size() - before).isBetween(4, 7);
      assertThat(watches).allSatisfy(w -> assertThat(w.completed).hasValue(null));
    }
  }

  @Test
  void differentIntervalsOrQueriesAreReadApart() {
    metrics.values.put("error_rate", 0.001);
    metrics.values.put("latency", 0.1);
    watch("a/1", API, Duration.ofMinutes(1), trigger("errors", "error_rate", ">", "1%", EVERY, NoDataAction.FAIL));
    watch("b/1", API, Duration.ofMinutes(1), trigger("errors", "error_rate", ">", "1%", EVERY.multipliedBy(2), NoDataAction.FAIL));
    watch("c/1", API, Duration.ofMinutes(1), trigger("slow", "latency", ">", "1", EVERY, NoDataAction.FAIL));
    assertThat(scheduler.stats().feeds()).isEqualTo(3);
  }

  @Test
  void aFiringTriggerCompletesItsWatchAtOnceWhileTheOthersOnTheSameReadGoOn() {
    metrics.values.put("error_rate", 0.001);
    FakeActivity strict = watch("strict/1", API, Duration.ofMinutes(1),
        trigger("errors", "error_rate", ">", "1%", EVERY, NoDataAction.FAIL));
    FakeActivity lenient = watch("lenient/1", API, Duration.ofMinutes(1),
        trigger("errors", "error_rate", ">", "10%", EVERY, NoDataAction.FAIL));
    Poll.until(() -> metrics.reads("error_rate") >= 2, Duration.ofSeconds(20));
    assertThat(strict.completed).hasValue(null);
    metrics.values.put("error_rate", 0.05);
    WatchResult fired = Poll.until(strict.completed::get, r -> r != null, Duration.ofSeconds(20));
    assertThat(fired.fired().gate()).isEqualTo("errors");
    assertThat(fired.fired().verdict()).isEqualTo(Verdict.FAIL);
    assertThat(fired.fired().detail()).isEqualTo("error_rate = 5% > 1%");
    int reads = metrics.reads("error_rate");
    Poll.until(() -> metrics.reads("error_rate") >= reads + 2, Duration.ofSeconds(20));
    assertThat(lenient.completed).hasValue(null);
    assertThat(scheduler.stats().watches()).isEqualTo(1);
    assertThat(scheduler.stats().completed()).isEqualTo(1);
  }

  @Test
  void aFiredTriggerIsCompletedWhileHeartbeatsWaitOnASlowServer() {
    metrics.values.put("error_rate", 0.001);
    CountDownLatch slow = new CountDownLatch(1);
    try {
      // more watches whose heartbeats hang than there are reply threads (2)
      for (int i = 0; i < 4; i++) {
        FakeActivity hanging = new FakeActivity();
        hanging.slowServer = slow;
        scheduler.register("slow-" + i + "/1", new TriggerWatcher(checker, API,
            List.of(trigger("errors", "error_rate", ">", "90%", EVERY, NoDataAction.FAIL)), Instant.now(), Duration.ofMinutes(1), 0),
            hanging, Duration.ofMillis(50));
      }
      FakeActivity strict = watch("strict/1", API, Duration.ofMinutes(1),
          trigger("errors", "error_rate", ">", "1%", EVERY, NoDataAction.FAIL));
      metrics.values.put("error_rate", 0.05);
      WatchResult fired = Poll.until(strict.completed::get, r -> r != null, Duration.ofSeconds(20));
      assertThat(fired.fired().verdict()).isEqualTo(Verdict.FAIL);
    } finally {
      slow.countDown();
    }
  }

  @Test
  void aFiredTriggerWhoseCompletionTheServerRefusesIsSentAgainNotLost() {
    metrics.values.put("error_rate", 0.05);
    FakeActivity strict = new FakeActivity();
    strict.refusedCompletions.set(2);
    scheduler.register("strict/1", new TriggerWatcher(checker, API,
        List.of(trigger("errors", "error_rate", ">", "1%", EVERY, NoDataAction.FAIL)), Instant.now(), Duration.ofMinutes(1), 0),
        strict, Duration.ofMinutes(10));
    // Refused twice (0.5 s and 1 s pauses), taken at the third: long before a heartbeat timeout
    // would have made the retry see the breach again.
    WatchResult fired = Poll.until(strict.completed::get, r -> r != null, Duration.ofSeconds(20));
    assertThat(fired.fired().verdict()).isEqualTo(Verdict.FAIL);
    assertThat(scheduler.stats().completionRetries()).isEqualTo(2);
    assertThat(scheduler.stats().completed()).isEqualTo(1);
  }

  @Test
  void aWatchWhoseWindowEndsCompletesWithNothingFiredAndItsReadStops() {
    metrics.values.put("error_rate", 0.001);
    FakeActivity activity = watch("w/1", API, Duration.ofMillis(1000),
        trigger("errors", "error_rate", ">", "1%", EVERY, NoDataAction.FAIL));
    WatchResult result = Poll.until(activity.completed::get, r -> r != null, Duration.ofSeconds(20));
    assertThat(result.fired()).isNull();
    assertThat(result.last()).extracting(r -> r.verdict()).containsExactly(Verdict.PASS);
    assertThat(result.checks()).isBetween(3, 6);
    assertThat(activity.heartbeats).hasSizeBetween(3, 12); // every 100 ms, not at every check
    assertThat(scheduler.stats().feeds()).isZero();
    assertThat(scheduler.stats().watches()).isZero();
  }

  @Test
  void aCancelledActivityIsReportedCancelledAndNeverCompleted() {
    metrics.values.put("error_rate", 0.001);
    FakeActivity activity = watch("w/1", API, Duration.ofMinutes(1),
        trigger("errors", "error_rate", ">", "1%", EVERY, NoDataAction.FAIL));
    Poll.until(() -> !activity.heartbeats.isEmpty(), Duration.ofSeconds(20));
    activity.answer = "cancelled";
    WatchProgress reported = Poll.until(activity.cancellation::get, p -> p != null, Duration.ofSeconds(20));
    assertThat(reported.checks()).isPositive();
    metrics.values.put("error_rate", 0.5); // would fire, but nobody watches any more
    Poll.until(() -> scheduler.stats().feeds() == 0, Duration.ofSeconds(5));
    assertThat(activity.completed).hasValue(null);
    assertThat(scheduler.stats().cancelled()).isEqualTo(1);
  }

  @Test
  void anActivityThatNoLongerExistsIsDroppedWithoutAnAnswer() {
    metrics.values.put("error_rate", 0.001);
    FakeActivity activity = watch("w/1", API, Duration.ofMinutes(1),
        trigger("errors", "error_rate", ">", "1%", EVERY, NoDataAction.FAIL));
    activity.answer = "gone";
    Poll.until(() -> scheduler.stats().watches() == 0, Duration.ofSeconds(20));
    assertThat(activity.completed).hasValue(null);
    assertThat(activity.cancellation).hasValue(null);
  }

  @Test
  void aRetriedAttemptReplacesTheWatchItWasRetriedFrom() {
    metrics.values.put("error_rate", 0.001);
    BoundGate t = trigger("errors", "error_rate", ">", "1%", EVERY, NoDataAction.FAIL);
    FakeActivity first = watch("wf/7", API, Duration.ofMinutes(1), t);
    FakeActivity retry = watch("wf/7", API, Duration.ofMinutes(1), t);
    metrics.values.put("error_rate", 0.05);
    Poll.until(() -> retry.completed.get() != null, Duration.ofSeconds(20));
    assertThat(first.completed).hasValue(null);
    assertThat(scheduler.stats().watches()).isZero();
  }

  @Test
  void aTriggerNamingNoMetricFiresInconclusiveAtOnce() {
    BoundGate broken = new BoundGate(
        trigger("ghost", "ghost", ">", "1", EVERY, NoDataAction.FAIL).gate(), null, null);
    FakeActivity activity = watch("w/1", API, Duration.ofMinutes(1), broken);
    WatchResult result = Poll.until(activity.completed::get, r -> r != null, Duration.ofSeconds(20));
    assertThat(result.fired().verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(result.fired().detail()).contains("which the plan does not declare");
  }
}
