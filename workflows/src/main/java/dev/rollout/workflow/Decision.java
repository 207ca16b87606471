package dev.rollout.workflow;

import java.time.Instant;

/**
 * One line of the decision log: who did what, when, and why, with where the rollout stood.
 *
 * @param phaseIndex the phase running when it was logged (from 0); null before the first phase
 *     (and in logs of workers older than this field)
 * @param waitId the wait open when it was logged (the one an approval, a confirmation or a
 *     decision answered); null when none was open
 * @param rollback logged once the rollback had begun
 */
public record Decision(
    Instant at, String who, String what, String comment, Integer phaseIndex, String waitId, boolean rollback) {

  /** A line with no context (tests, older logs). */
  public Decision(Instant at, String who, String what, String comment) {
    this(at, who, what, comment, null, null, false);
  }
}
