package dev.rollout.workflow;

import java.util.List;

/**
 * @param reason why it rolled back (null when completed)
 * @param trigger what triggered the rollback: a trigger's description, "approval rejected",
 *     "approval deadline", "operator abort", "step failed", "gate failed"
 * @param failedCompensation the compensation that failed, when {@code ROLLBACK_FAILED}
 */
public record RolloutResult(
    Outcome outcome,
    String reason,
    String trigger,
    String failedCompensation,
    List<Decision> decisions) {}
