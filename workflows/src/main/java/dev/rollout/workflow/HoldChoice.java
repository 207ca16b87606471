package dev.rollout.workflow;

/**
 * The one place a hold's decision becomes what the rollout does: ROLLBACK rolls back, RETRY runs
 * the phase again (or the held thing itself, where it can be retried on its own), CONTINUE goes on.
 * Every hold reaches it through {@link Hold#decide}.
 */
final class HoldChoice {
  private HoldChoice() {}

  /** What RETRY repeats where the rollout held. */
  enum Retry {
    /** The phase's steps and bake ({@link PhaseRunner.RetryPhase}): a bake or its gates. */
    PHASE,
    /** The held thing itself, by the caller: a failed step, a baseline read. */
    HERE
  }

  /**
   * Acts on {@code choice}: ROLLBACK throws {@link RollbackRequested} ({@code trigger}, {@code
   * reason}; rollback chosen); RETRY of the {@link Retry#PHASE} throws {@link PhaseRunner.RetryPhase}.
   * Returns what is left to the caller: CONTINUE, or RETRY {@link Retry#HERE}.
   */
  static Actions.Choice act(Actions.Choice choice, String trigger, String reason, Retry retry) {
    if (choice == Actions.Choice.ROLLBACK) throw new RollbackRequested(trigger, reason + "; rollback chosen");
    if (choice == Actions.Choice.RETRY && retry == Retry.PHASE) throw new PhaseRunner.RetryPhase();
    return choice;
  }
}
