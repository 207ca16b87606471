package dev.rollout.activities.gates;

import dev.rollout.activities.MetricActivities.GateResult;
import dev.rollout.activities.MetricActivities.Verdict;
import dev.rollout.activities.gates.GateCondition.Check;
import dev.rollout.plan.Gate;
import java.time.Instant;

/**
 * Turns a condition into a verdict. The two kinds of gate read the same condition in opposite ways:
 * an acceptance gate PASSes when its condition holds; a rollback trigger FAILs (fires) when its
 * condition holds. No data means what the gate's {@code onNoData} says, for both: fail, pass, or
 * INCONCLUSIVE (hold for a decision).
 */
public final class GateResults {
  private GateResults() {}

  /** An acceptance gate: must hold to advance. */
  public static GateResult acceptance(Gate gate, Check check, Instant at) {
    Verdict verdict =
        switch (check.outcome()) {
          case HOLDS -> Verdict.PASS;
          case DOES_NOT_HOLD -> Verdict.FAIL;
          case NO_DATA -> noData(gate);
        };
    return result(gate, check, verdict, at);
  }

  /** A rollback trigger: FAIL means it fired and the rollout rolls back. */
  public static GateResult trigger(Gate gate, Check check, Instant at) {
    Verdict verdict =
        switch (check.outcome()) {
          case HOLDS -> Verdict.FAIL;
          case DOES_NOT_HOLD -> Verdict.PASS;
          case NO_DATA -> noData(gate);
        };
    return result(gate, check, verdict, at);
  }

  /** The metric could not be read at all (a bad query, a source down): a person must decide. */
  public static GateResult error(Gate gate, String why, Instant at) {
    return new GateResult(
        name(gate), gate.metric(), null, gate.op().symbol() + " " + gate.threshold(), Verdict.INCONCLUSIVE, at, why);
  }

  /** The name shown in status and the decision log: the plan's name, or the condition itself. */
  public static String name(Gate gate) {
    return gate.name() != null && !gate.name().isBlank() ? gate.name() : gate.describe();
  }

  private static Verdict noData(Gate gate) {
    return switch (gate.onNoData()) {
      case FAIL -> Verdict.FAIL;
      case PASS -> Verdict.PASS;
      case HOLD -> Verdict.INCONCLUSIVE;
    };
  }

  private static GateResult result(Gate gate, Check check, Verdict verdict, Instant at) {
    String detail = check.detail();
    if (check.outcome() == GateCondition.Outcome.NO_DATA) {
      detail += " (onNoData: " + gate.onNoData().name().toLowerCase() + ")";
    }
    return new GateResult(name(gate), gate.metric(), check.value(), check.threshold(), verdict, at, detail);
  }
}
