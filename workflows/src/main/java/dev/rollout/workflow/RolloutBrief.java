package dev.rollout.workflow;

import java.time.Instant;

/**
 * What a rollout is doing now, in brief: the answer of every accepted Update and of the {@code
 * brief} Query. It is the head of {@link RolloutStatus} without its lists (decisions, undos,
 * transitions, gates). An Update's answer is written into the rollout's history, once per person's
 * action, so it stays this small however long the rollout runs; the whole status is the {@code
 * status} Query, which history never holds.
 *
 * @param waitingFor what the rollout waits for now (with the approvals counted so far), or null
 * @param lastTransition the number of the rollout's latest transition ({@link
 *     RolloutStatus.Transition#seq()}), 0 before the first: a client that saw it needs no status
 * @param pausedByOperator as {@link RolloutStatus#pausedByOperator()}: paused by an operator, not resumed
 */
public record RolloutBrief(
    RolloutState state,
    int phaseIndex,
    String phase,
    String step,
    RolloutStatus.WaitingFor waitingFor,
    Instant bakeEndsAt,
    Instant windowOpensAt,
    long lastTransition,
    Boolean pausedByOperator) {

  /** A brief that does not say whether an operator paused (a test, as from a worker before it). */
  public RolloutBrief(RolloutState state, int phaseIndex, String phase, String step, RolloutStatus.WaitingFor waitingFor,
      Instant bakeEndsAt, Instant windowOpensAt, long lastTransition) {
    this(state, phaseIndex, phase, step, waitingFor, bakeEndsAt, windowOpensAt, lastTransition, null);
  }
}
