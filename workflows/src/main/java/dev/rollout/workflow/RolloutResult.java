package dev.rollout.workflow;

import java.util.List;

/**
 * @param reason why it rolled back (null when completed)
 * @param trigger what triggered the rollback: a trigger's description, "approval rejected",
 *     "approval deadline", "operator abort", "step failed", "gate failed"
 * @param failedCompensation the compensation that failed, when {@code ROLLBACK_FAILED}
 * @param skipped the undos people skipped to end a blocked rollback, with who and why (empty when none)
 */
public record RolloutResult(
    Outcome outcome,
    String reason,
    String trigger,
    String failedCompensation,
    List<Decision> decisions,
    List<String> skipped) {

  public RolloutResult {
    skipped = skipped == null ? List.of() : List.copyOf(skipped);
  }

  public RolloutResult(Outcome outcome, String reason, String trigger, String failedCompensation, List<Decision> decisions) {
    this(outcome, reason, trigger, failedCompensation, decisions, null);
  }
}
