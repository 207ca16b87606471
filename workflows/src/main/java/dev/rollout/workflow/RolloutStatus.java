package dev.rollout.workflow;

import dev.rollout.activities.MetricActivities.GateResult;
import java.time.Instant;
import java.util.List;

/**
 * What the status Query answers.
 *
 * @param waitingFor what the rollout waits for now, or null
 * @param bakeEndsAt when the current bake ends (workflow time), or null
 * @param windowOpensAt when the awaited window opens, or null
 * @param compensations what is still to undo (pending, failed or waiting for a decision), most
 *     recent last
 * @param undos every undo the rollout registered, with its id, status, time and error: after a
 *     rollback, what was undone, skipped or done by hand (a restore shows its backup and its age)
 */
public record RolloutStatus(
    String rolloutId,
    String plan,
    String target,
    String startedBy,
    Instant startedAt,
    RolloutState state,
    int phaseIndex,
    String phase,
    int phaseCount,
    String step,
    WaitingFor waitingFor,
    Instant bakeEndsAt,
    Instant windowOpensAt,
    List<GateResult> lastGates,
    List<Decision> decisions,
    List<String> compensations,
    RolloutResult result,
    List<UndoEntry> undos) {

  public RolloutStatus {
    undos = undos == null ? List.of() : List.copyOf(undos);
  }

  public RolloutStatus(
      String rolloutId, String plan, String target, String startedBy, Instant startedAt, RolloutState state,
      int phaseIndex, String phase, int phaseCount, String step, WaitingFor waitingFor, Instant bakeEndsAt,
      Instant windowOpensAt, List<GateResult> lastGates, List<Decision> decisions, List<String> compensations,
      RolloutResult result) {
    this(rolloutId, plan, target, startedBy, startedAt, state, phaseIndex, phase, phaseCount, step, waitingFor,
        bakeEndsAt, windowOpensAt, lastGates, decisions, compensations, result, null);
  }

  /**
   * @param kind {@code entry-approval}, {@code exit-approval}, {@code checklist}, {@code decision},
   *     {@code resume}, {@code window}
   * @param roles the roles that can answer
   * @param approvedBy the role=user approvals already counted
   * @param required how many approvals are needed in all
   * @param until the deadline, or null
   */
  public record WaitingFor(
      String kind, List<String> roles, List<String> approvedBy, int required, Instant until, String item) {}
}
