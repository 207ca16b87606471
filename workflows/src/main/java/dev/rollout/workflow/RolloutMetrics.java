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
 * <p>Why from the workflow: it is the one place that sees every transition exactly once, whichever
 * worker runs it. The SDK's workflow scope is replay-aware (nothing is emitted while a workflow is
 * replayed on another worker or after a cache eviction), so counters and timers summed across
 * workers count each event once; emitting adds no command to history. Only events live here
 * (counters, timers); per-rollout gauges (phase, canary weight) are read from the workflow's status
 * by the API at scrape time ({@code dev.rollout.client.RolloutGauges}), because a gauge set by
 * whichever worker last ran a task would go stale on every other worker.
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
        .ifPresent(r -> scope(Map.of("gate", r.gate())).timer(DETECTION).record(tally(Duration.between(r.at(), now))));
  }

  void finished(RolloutResult result, Instant now) {
    scope(Map.of("outcome", result.outcome().name())).counter(FINISHED).inc(1);
    if (rollbackSince != null) {
      scope(Map.of("outcome", result.outcome().name())).timer(ROLLBACK)
          .record(tally(Duration.between(rollbackSince, now)));
    }
  }

  private static com.uber.m3.util.Duration tally(Duration d) {
    return com.uber.m3.util.Duration.ofMillis(Math.max(0, d.toMillis()));
  }
}
