package dev.rollout.chaos;

import dev.rollout.activities.FlagActivities;
import dev.rollout.activities.MetricActivities;
import dev.rollout.activities.NotificationActivities;
import dev.rollout.activities.TrafficActivities;
import dev.rollout.plan.CanaryAnalysis;
import dev.rollout.plan.FlagStore;
import dev.rollout.plan.Router;
import dev.rollout.plan.Severity;
import dev.rollout.plan.Target;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-memory targets for the fault-injection tests, with faults switched on by the test: every
 * activity attempt failing transiently at a seeded rate, a permanent failure of one traffic
 * shift, a router that refuses to go back to stable (a failing undo), a metric source down for a
 * while of workflow time, and a new version that breaks at a share of traffic. Notifications are
 * kept, so a test can see who was alerted, how urgently.
 */
final class FaultyTargets {

  /** One notification as it was sent. */
  record Alert(String rolloutId, Severity severity, String title, String message) {}

  final Map<String, Double> weights = new ConcurrentHashMap<>();
  final Map<String, Map<String, Object>> flags = new ConcurrentHashMap<>();
  final List<Alert> alerts = java.util.Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger injected = new AtomicInteger();
  final AtomicInteger attempts = new AtomicInteger();

  private final Random random;
  volatile double transientRate;
  /** A shift to this share fails for good (non-retryable), or null. */
  volatile Double permanentAt;
  /** While true, sending traffic back to stable (0 %) fails for good. */
  volatile boolean stableRefused;
  /** The new version fails once it gets this share of traffic, or null. */
  volatile Double breaksAt;
  /** The metric source is down for this long (workflow time) from the first read at {@link #metricsDownFrom}. */
  volatile Duration metricsDownFor;
  volatile double metricsDownFrom = Double.MAX_VALUE;
  private final Map<String, Instant> downSince = new ConcurrentHashMap<>();
  final AtomicInteger metricReadsRefused = new AtomicInteger();

  FaultyTargets(long seed) {
    random = new Random(seed);
  }

  /** Every activity attempt passes here first. */
  private void maybeFail(String what) {
    attempts.incrementAndGet();
    boolean fail;
    synchronized (random) {
      fail = random.nextDouble() < transientRate;
    }
    if (fail) {
      injected.incrementAndGet();
      throw ApplicationFailure.newFailure("injected transient failure of " + what, "InjectedTransient");
    }
  }

  private static String rollout() {
    return Activity.getExecutionContext().getInfo().getWorkflowId();
  }

  private static Instant now() {
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    return Instant.ofEpochMilli(info.getCurrentAttemptScheduledTimestamp());
  }

  final TrafficActivities traffic = new TrafficActivities() {
    @Override
    public double currentWeight(String rolloutId, String router, Router spec) {
      maybeFail("currentWeight");
      return weights.getOrDefault(rolloutId, 0.0);
    }

    @Override
    public void setWeight(String rolloutId, String router, Router spec, double percent) {
      maybeFail("setWeight " + percent);
      if (permanentAt != null && percent == permanentAt) {
        throw ApplicationFailure.newNonRetryableFailure("router rejects " + percent + "% (injected permanent failure)", "InjectedPermanent");
      }
      if (stableRefused && percent == 0) {
        throw ApplicationFailure.newNonRetryableFailure("router refuses to go back to stable (injected)", "InjectedPermanent");
      }
      weights.put(rolloutId, percent);
    }
  };

  final FlagActivities flagActivities = new FlagActivities() {
    @Override
    public Map<String, Object> readFlags(String rolloutId, String store, FlagStore spec, List<String> names) {
      maybeFail("readFlags");
      Map<String, Object> now = flags.getOrDefault(rolloutId, Map.of());
      Map<String, Object> out = new HashMap<>();
      names.forEach(n -> out.put(n, now.get(n)));
      return out;
    }

    @Override
    public void setFlags(String rolloutId, String store, FlagStore spec, Map<String, Object> values) {
      maybeFail("setFlags");
      Map<String, Object> now = flags.computeIfAbsent(rolloutId, r -> new ConcurrentHashMap<>());
      values.forEach((k, v) -> {
        if (v == null) now.remove(k);
        else now.put(k, v);
      });
    }
  };

  final MetricActivities metrics = new MetricActivities() {
    @Override
    public Map<String, Double> baseline(String rolloutId, Target target, List<BoundMetric> list) {
      read("baseline");
      Map<String, Double> out = new HashMap<>();
      list.forEach(m -> out.put(m.name(), errorRate()));
      return out;
    }

    @Override
    public List<GateResult> evaluate(String rolloutId, Target target, List<BoundGate> gates) {
      read("evaluate");
      return gates.stream().map(g -> result(g, g.gate().op().holds(errorRate() / 100, g.gate().threshold().base()) ? Verdict.PASS : Verdict.FAIL)).toList();
    }

    @Override
    public WatchResult watch(String rolloutId, Target target, List<BoundGate> triggers, Duration watchFor) {
      // Like the real watch (TriggerWatcher): a read that fails inside a watch is a reading missed,
      // not a failed activity (a trigger fires INCONCLUSIVE only after 4 misses in a row, more than
      // one outage of a 1-minute trigger makes), so neither injected read faults nor the outage
      // fail the watch; its activity attempts are not counted among the faulty ones.
      boolean down = outage();
      List<GateResult> last = new ArrayList<>();
      GateResult fired = null;
      for (BoundGate t : triggers) {
        boolean firing = !down && t.gate().op().holds(errorRate() / 100, t.gate().threshold().base());
        GateResult r = result(t, down ? Verdict.INCONCLUSIVE : firing ? Verdict.FAIL : Verdict.PASS);
        last.add(r);
        if (firing && fired == null) fired = r;
      }
      return new WatchResult(fired, last, triggers.size());
    }

    @Override
    public JudgeResult judge(String rolloutId, Target target, CanaryAnalysis analysis, Map<String, BoundMetric> m) {
      read("judge");
      return new JudgeResult(100, Verdict.PASS, List.of());
    }

    /** A read while the source is down fails like an unreachable Prometheus: retryably. */
    private void read(String what) {
      maybeFail(what);
      if (outage()) {
        throw ApplicationFailure.newFailure("metric source unreachable (injected outage since " + downSince.get(rollout()) + ")", "InjectedOutage");
      }
    }

    /** Whether the source is down for this rollout now (counts the read refused). */
    private boolean outage() {
      String id = rollout();
      if (metricsDownFor != null && weights.getOrDefault(id, 0.0) >= metricsDownFrom) {
        Instant since = downSince.computeIfAbsent(id, k -> now());
        if (now().isBefore(since.plus(metricsDownFor))) {
          metricReadsRefused.incrementAndGet();
          return true;
        }
      }
      return false;
    }

    /** In percent: 5 % once the new version gets its breaking share, else 0.1 %. */
    private double errorRate() {
      Double breaks = breaksAt;
      return breaks != null && weights.getOrDefault(rollout(), 0.0) >= breaks ? 5.0 : 0.1;
    }

    private GateResult result(BoundGate g, Verdict verdict) {
      return new GateResult(g.gate().describe(), g.gate().metric(), errorRate(), g.gate().threshold().toString(), verdict, now(), "fault-injection fake");
    }
  };

  final NotificationActivities notifications = new NotificationActivities() {
    @Override
    public boolean notify(String rolloutId, String notifier, dev.rollout.plan.Notifier spec, Severity severity, String title, String message) {
      alerts.add(new Alert(rolloutId, severity, title, message));
      return true;
    }
  };

}
