package dev.rollout.workflow;

import com.uber.m3.tally.Scope;
import dev.rollout.activities.MetricActivities.GateResult;
import dev.rollout.activities.MetricActivities.Verdict;
import dev.rollout.plan.Gate;
import dev.rollout.plan.Plan;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rollout's events as metrics, emitted through the workflow's metrics scope: the worker's
 * Micrometer registry exports them at {@code /actuator/prometheus} next to the SDK's
 * {@code temporal_*} series.
 *
 * <p>Why from the workflow: it is the one place that sees every transition, whichever worker runs
 * it, and emitting adds no command to history. The SDK's workflow scope is replay-aware: nothing is
 * emitted while a workflow is replayed on another worker or after a cache eviction.
 *
 * <p><b>At least once, not exactly once.</b> A counter or timer is emitted when the workflow task
 * that runs the code is executed, not when the server accepts its completion. A task that ran but
 * did not complete is run again (its events are new, not replayed, on the retry) and emits again:
 * <ul>
 *   <li>the worker died or lost its connection between running the task and the server accepting
 *       its completion (kill -9, out of memory, a network cut);
 *   <li>the task outlived its workflow task timeout (10 s: an overloaded or paused worker);
 *   <li>the server refused the completion, e.g. {@code UnhandledCommand} because a signal, update
 *       or activity result arrived while the task ran (common around approvals);
 *   <li>the task failed (an exception, a non-determinism) and was retried.
 * </ul>
 * The other way, a worker killed before its registry was scraped loses what it had not exported.
 * So {@code rollout_*} counters are for dashboards and alerts (rates, trends); the exact record of
 * what happened is each rollout's result and decision log ({@code rollout status}, {@code list}).
 * Per-rollout gauges (phase, canary weight) are read from the workflow's status by the API at
 * scrape time ({@code dev.rollout.client.RolloutGauges}): a gauge set by whichever worker last ran
 * a task would go stale on every other worker.
 */
final class RolloutMetrics {
  static final String STARTED = "rollout_started";
  static final String FINISHED = "rollout_finished";
  static final String APPROVAL_WAIT = "rollout_approval_wait";
  static final String VERDICTS = "rollout_verdicts";
  static final String DETECTION = "rollout_detection_latency";
  static final String ROLLBACK = "rollout_rollback_duration";

  private final Plan plan;
  private final String target;
  private Instant approvalSince;
  private String approvalKind;
  private Instant rollbackSince;

  RolloutMetrics(Plan plan, String target) {
    this.plan = plan;
    this.target = target;
  }

  private Scope scope(Map<String, String> tags) {
    Map<String, String> all = new java.util.HashMap<>(tags);
    all.put("target", target);
    all.put("plan", plan.name());
    return Workflow.getMetricsScope().tagged(all);
  }

  /**
   * For the timers of a rollback (detection latency, rollback duration): fleet-wide, without the
   * rollout's target and plan. The SDK's reporter gives every timer a percentile histogram, so a
   * per-target timer is a new meter with its buckets for every target that ever rolls back: at ten
   * thousand targets rolling back at once, 20,000 meters registered while the fleet waits for its
   * undos (8 % of a mass rollback's CPU) and as many histograms in every scrape. Which rollout rolled
   * back is in the counters ({@value #FINISHED}) and each rollout's status.
   */
  private static Scope fleetScope(Map<String, String> tags) {
    return Workflow.getMetricsScope().tagged(tags);
  }

  void started() {
    scope(Map.of()).counter(STARTED).inc(1);
  }

  /** Called on every state change; times the approval wait that just ended, if one did. */
  void state(RolloutState state, RolloutStatus.WaitingFor waitingFor, List<GateResult> lastResults, Instant now) {
    boolean approving = state == RolloutState.WAITING_FOR_APPROVAL && waitingFor != null;
    if (approving && approvalSince == null) {
      approvalSince = now;
      approvalKind = waitingFor.kind().toString();
    } else if (!approving && approvalSince != null && state != RolloutState.PAUSED) {
      scope(Map.of("kind", approvalKind)).timer(APPROVAL_WAIT).record(tally(Duration.between(approvalSince, now)));
      approvalSince = null;
    }
    if (state == RolloutState.ROLLING_BACK && rollbackSince == null) {
      rollbackSince = now;
      rollbackStarts(lastResults, now);
    }
  }

  /** Counts each gate's or trigger's verdict; {@code phase} is the current phase index. */
  void verdicts(List<GateResult> results, int phase) {
    Set<String> triggers = new HashSet<>();
    plan.triggers().stream().map(Gate::name).forEach(triggers::add);
    if (phase >= 0) plan.phases().get(phase).triggers().stream().map(Gate::name).forEach(triggers::add);
    for (GateResult r : results) {
      String kind = triggers.contains(r.gate()) ? "trigger" : "gate";
      scope(Map.of("kind", kind, "gate", r.gate(), "verdict", r.verdict().name())).counter(VERDICTS).inc(1);
    }
  }

  /**
   * The rollback starts: when a trigger or gate failed, how long after its breaching sample the
   * rollout acted (the watcher's and the workflow's share of detection).
   */
  private void rollbackStarts(List<GateResult> lastResults, Instant now) {
    lastResults.stream()
        .filter(r -> r.verdict() == Verdict.FAIL && r.at() != null && !r.at().isAfter(now))
        .findFirst()
        .ifPresent(r -> fleetScope(Map.of("gate", r.gate())).timer(DETECTION).record(tally(Duration.between(r.at(), now))));
  }

  void finished(RolloutResult result, Instant now) {
    scope(Map.of("outcome", result.outcome().name())).counter(FINISHED).inc(1);
    if (rollbackSince != null) {
      fleetScope(Map.of("outcome", result.outcome().name())).timer(ROLLBACK)
          .record(tally(Duration.between(rollbackSince, now)));
    }
  }

  private static com.uber.m3.util.Duration tally(Duration d) {
    return com.uber.m3.util.Duration.ofMillis(Math.max(0, d.toMillis()));
  }
}
