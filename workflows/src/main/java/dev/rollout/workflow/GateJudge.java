package dev.rollout.workflow;

import dev.rollout.activities.MetricActivities;
import dev.rollout.activities.MetricActivities.BoundGate;
import dev.rollout.activities.MetricActivities.GateResult;
import dev.rollout.activities.MetricActivities.JudgeResult;
import dev.rollout.activities.MetricActivities.Verdict;
import dev.rollout.plan.CanaryAnalysis;
import dev.rollout.plan.NoDataAction;
import java.util.ArrayList;
import java.util.List;

/** Evaluates acceptance gates (and a canary judgement) at the end of a bake. */
final class GateJudge {
  /**
   * Version 1 takes each gate's verdict as the activity gives it: the activity has applied the
   * gate's {@code onNoData} already. A NO_DATA verdict (which no activity gives since) holds for a
   * person. Before, the workflow applied {@code onNoData} a second time, matching results to gates
   * by list index.
   */
  static final String VERDICTS_AS_GIVEN = "gate-verdicts-as-given";

  /** PASS, FAIL (roll back or hold, as the phase says) or HOLD (inconclusive: ask people). */
  record Judgement(Verdict verdict, String reason) {
    static final Judgement PASSED = new Judgement(Verdict.PASS, null);
  }

  private final String rolloutId;
  private final PhaseTargets targets;
  private final StatusBoard status;
  private final GateBinder binder;

  GateJudge(String rolloutId, PhaseTargets targets, StatusBoard status, GateBinder binder) {
    this.rolloutId = rolloutId;
    this.targets = targets;
    this.status = status;
    this.binder = binder;
  }

  /** Asked only when a NO_DATA verdict arrives: histories without one carry no marker. */
  private static boolean verdictsAsGiven() {
    return Changes.since(VERDICTS_AS_GIVEN);
  }

  Judgement judge(List<BoundGate> gates, CanaryAnalysis analysis) {
    List<String> failed = new ArrayList<>();
    List<String> held = new ArrayList<>();
    if (!gates.isEmpty()) {
      MetricActivities metrics =
          ActivityStubs.step(MetricActivities.class, "evaluate " + gates.size() + " gate(s)");
      List<GateResult> results = metrics.evaluate(rolloutId, targets.current(), gates);
      status.gates(results);
      for (int i = 0; i < results.size(); i++) {
        GateResult r = results.get(i);
        String line = r.gate() + " = " + Readings.inReason(r.value()) + " (needs " + r.threshold() + ")";
        switch (r.verdict()) {
          case PASS -> {}
          case FAIL -> failed.add(line);
          case INCONCLUSIVE -> held.add(line + " inconclusive");
          case NO_DATA -> {
            if (verdictsAsGiven()) {
              held.add(r.gate() + ": no data");
            } else {
              NoDataAction onNoData = i < gates.size() ? gates.get(i).gate().onNoData() : NoDataAction.FAIL;
              if (onNoData == NoDataAction.FAIL) failed.add(r.gate() + ": no data");
              if (onNoData == NoDataAction.HOLD) held.add(r.gate() + ": no data");
            }
          }
        }
      }
    }
    if (analysis != null) {
      MetricActivities metrics =
          ActivityStubs.longRunning(MetricActivities.class, "canary judgement", analysis.lookback() == null
              ? java.time.Duration.ofMinutes(10) : analysis.lookback());
      List<String> names = new ArrayList<>();
      analysis.metrics().forEach(m -> { names.add(m.canary()); names.add(m.baseline()); });
      JudgeResult j = metrics.judge(rolloutId, targets.current(), analysis, binder.metrics(names.stream().distinct().toList()));
      String line = "canary score " + Math.round(j.score()) + " (pass " + analysis.passScore() + ")";
      if (j.verdict() == Verdict.FAIL) failed.add(line);
      if (j.verdict() == Verdict.INCONCLUSIVE || j.verdict() == Verdict.NO_DATA) held.add(line);
    }
    if (!failed.isEmpty()) return new Judgement(Verdict.FAIL, "gate failed: " + String.join("; ", failed));
    if (!held.isEmpty()) return new Judgement(Verdict.INCONCLUSIVE, "gate inconclusive: " + String.join("; ", held));
    return Judgement.PASSED;
  }
}
