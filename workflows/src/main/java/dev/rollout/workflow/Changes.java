package dev.rollout.workflow;

import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowLocal;

/**
 * The named behaviour changes of this workflow, each behind its own {@code Workflow.getVersion}
 * id, decided once at the start of a run (before any command) and kept per workflow instance. A
 * rollout started before a change keeps the old behaviour to its end; its history still replays.
 *
 * @param safeRollback {@value #SAFE_ROLLBACK}: undos as data, in groups (emergency steps, traffic
 *     and flags, workloads, databases), traffic back to stable, values recorded at the start,
 *     restores by decision, expand/contract, a blocked rollback stays open, the live-state check
 * @param nothingFails {@value #NOTHING_FAILS}: any failure becomes a rollback or a hold, metric read
 *     failures hold as inconclusive, a Temporal cancel request is an abort
 * @param stepPolicy {@value #STEP_POLICY}: a retry budget of minutes and the phase's {@code onStepFailure}
 * @param windowDstAtJump {@value #WINDOW_DST_AT_JUMP}: a window edge in the hour a DST change skips
 *     is the moment of the jump, not an hour later ({@link DeploymentWindows.Dst})
 * @param escalationReminders {@value #ESCALATION_REMINDERS}: an approval reminds its roles every
 *     {@code remindEvery}, and its deadline chain (deadline, escalated to whom since when, next
 *     reminder) is in the status
 * @param holdGatesAtInterval {@value #HOLD_GATES_AT_INTERVAL}: acceptance gates are watched at their
 *     interval during the bake of a phase that holds on a failed gate too, and hold at once
 * @param stableAtStart {@value #STABLE_AT_START}: before the first change, every workload and flag
 *     the plan touches is read once and recorded as stable (what a rollback returns to); a
 *     Deployment in the middle of a rollout or already running the plan's image, or a flag already
 *     at the plan's value without rollbackValues, stops the rollout before it changes anything
 */
record Changes(boolean safeRollback, boolean nothingFails, boolean stepPolicy, boolean windowDstAtJump,
    boolean escalationReminders, boolean holdGatesAtInterval, boolean stableAtStart) {
  static final String SAFE_ROLLBACK = "safe-rollback";
  static final String NOTHING_FAILS = "nothing-fails-the-workflow";
  static final String STEP_POLICY = "step-failure-policy";
  static final String WINDOW_DST_AT_JUMP = "window-dst-at-jump";
  static final String ESCALATION_REMINDERS = "escalation-reminders";
  static final String HOLD_GATES_AT_INTERVAL = "gates-at-interval-on-hold";
  static final String STABLE_AT_START = "stable-recorded-at-start";

  static final Changes BEFORE = new Changes(false, false, false, false, false, false, false);
  private static final WorkflowLocal<Changes> CURRENT = WorkflowLocal.withCachedInitial(() -> BEFORE);

  /** Call once, first thing in the workflow method. */
  static Changes decide() {
    Changes c = new Changes(
        Workflow.getVersion(SAFE_ROLLBACK, Workflow.DEFAULT_VERSION, 1) == 1,
        Workflow.getVersion(NOTHING_FAILS, Workflow.DEFAULT_VERSION, 1) == 1,
        Workflow.getVersion(STEP_POLICY, Workflow.DEFAULT_VERSION, 1) == 1,
        Workflow.getVersion(WINDOW_DST_AT_JUMP, Workflow.DEFAULT_VERSION, 1) == 1,
        Workflow.getVersion(ESCALATION_REMINDERS, Workflow.DEFAULT_VERSION, 1) == 1,
        Workflow.getVersion(HOLD_GATES_AT_INTERVAL, Workflow.DEFAULT_VERSION, 1) == 1,
        Workflow.getVersion(STABLE_AT_START, Workflow.DEFAULT_VERSION, 1) == 1);
    CURRENT.set(c);
    return c;
  }

  /** What this run decided; {@link #BEFORE} until it did. */
  static Changes current() {
    return CURRENT.get();
  }
}
