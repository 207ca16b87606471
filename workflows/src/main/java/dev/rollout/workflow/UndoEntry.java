package dev.rollout.workflow;

import java.time.Instant;

/**
 * One undo the rollout registered, as the status shows it.
 *
 * @param id stable id people name to retry, skip or mark an undo done ({@code u1}, {@code u2}, …)
 * @param phase the phase (0-based) that registered it; -1 for the plan's emergency rollback steps
 * @param status where it is; {@code at} is when it got there
 * @param error the last error of a failed undo, or why it waits for a decision
 * @param by who skipped it or marked it done (null when the rollout did it)
 * @param note the reason given for a skip or a manual completion
 */
public record UndoEntry(
    String id,
    int phase,
    Undo undo,
    String description,
    Status status,
    Instant at,
    String error,
    String by,
    String note) {

  public enum Status {
    /** Registered; runs when the rollout rolls back. */
    PENDING,
    DONE,
    /** Ran and still failed after its retries: the rollback is blocked until someone acts. */
    FAILED,
    /** Not run on its own: a person decides (restore a backup, or anything after a contract). */
    NEEDS_DECISION,
    SKIPPED
  }

  UndoEntry with(Status newStatus, Instant when, String newError, String who, String why) {
    return new UndoEntry(id, phase, undo, description, newStatus, when, newError, who, why);
  }

  boolean open() {
    return status != Status.DONE && status != Status.SKIPPED;
  }
}
