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
 *
 * <p><b>One marker for all of them ({@value #ENGINE}).</b> Each id used to record its own version
 * marker in every rollout: a baking rollout carried ~14 of them (28 of its 56 payloads), history
 * the server keeps in memory for every rollout in flight. A rollout started now asks one id, {@value
 * #ENGINE}, first thing; at version 1 every change in {@link #FOLDED} is on without asking its own
 * id (no marker). A rollout started before it (its history has no {@value #ENGINE} marker, so it
 * replays as {@link Workflow#DEFAULT_VERSION}) asks each id exactly where and when it did, so its
 * history replays unchanged. Every change asks through {@link #since}; a change added later asks
 * its own id until a later engine version folds it in (raise the maximum version of {@value
 * #ENGINE} and list the id with that version: rollouts started on version 1 keep asking it).
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

  /** The consolidated change id: version 1 turns on every change in {@link #FOLDED}, no marker each. */
  static final String ENGINE = "engine-2026-12";
  /**
   * The highest version of {@value #ENGINE} this code knows: 1 folds in every change made before
   * the engine marker; 2 adds {@value TargetLocks#ENDED_BY_WORKER}.
   */
  static final int ENGINE_VERSION = 2;

  /**
   * Every change id that existed before {@value #ENGINE}, with the engine version that turns it on.
   * Never remove or lower an entry (rollouts started on that version count on it); a new change is
   * listed only with a new, higher engine version.
   */
  static final java.util.Map<String, Integer> FOLDED = java.util.Map.ofEntries(
      java.util.Map.entry(SAFE_ROLLBACK, 1),
      java.util.Map.entry(NOTHING_FAILS, 1),
      java.util.Map.entry(STEP_POLICY, 1),
      java.util.Map.entry(WINDOW_DST_AT_JUMP, 1),
      java.util.Map.entry(ESCALATION_REMINDERS, 1),
      java.util.Map.entry(HOLD_GATES_AT_INTERVAL, 1),
      java.util.Map.entry(STABLE_AT_START, 1),
      java.util.Map.entry(TargetLocks.LOCKS, 1),
      java.util.Map.entry(TargetLocks.RELEASED_TOGETHER, 1),
      java.util.Map.entry(TargetLocks.RELEASED_BY_WORKER, 1),
      java.util.Map.entry(StatusBoard.SEARCH_ATTRIBUTES_CHANGE, 1),
      java.util.Map.entry(GateBinder.BASELINE_ONCE, 1),
      java.util.Map.entry(GateBinder.BASELINES_PER_TARGET, 1),
      java.util.Map.entry(PhaseWindow.WINDOW_BEFORE_EVERY_CHANGE, 1),
      java.util.Map.entry(PhaseTargets.PHASE_TARGETS, 1),
      java.util.Map.entry(TriggerGuard.TRIGGER_GUARD, 1),
      java.util.Map.entry(TriggerGuard.WAIT_FOR_WATCH, 1),
      java.util.Map.entry(TriggerTiers.TIERS, 1),
      java.util.Map.entry(Baker.GATES_AT_INTERVAL, 1),
      java.util.Map.entry(GateJudge.VERDICTS_AS_GIVEN, 1),
      java.util.Map.entry(Readings.ROUNDED_READINGS, 1),
      java.util.Map.entry(ActivityStubs.UNDO_FIRST_IN_LINE, 1),
      java.util.Map.entry(ActivityStubs.WATCH_TASK_QUEUE, 1),
      java.util.Map.entry(ActivityStubs.SCHEDULE_TO_START, 1),
      java.util.Map.entry(ActivityStubs.NOTIFY_ABANDONED, 1),
      java.util.Map.entry(LostWatch.REARM_LOST_WATCH, 1),
      java.util.Map.entry(AfterWatch.WATCH, 1),
      java.util.Map.entry(Rollback.HOLD_IN_REACH, 1),
      java.util.Map.entry(Rollback.RESTORE_ANNOUNCED, 1),
      java.util.Map.entry(Rollback.NOTICE_ALONGSIDE_UNDO, 1),
      java.util.Map.entry(RollbackReach.SCOPED, 1),
      java.util.Map.entry(IncidentEscalation.ESCALATION, 1),
      java.util.Map.entry(TargetLocks.ENDED_BY_WORKER, 2));

  static final Changes BEFORE = new Changes(false, false, false, false, false, false, false);
  private static final WorkflowLocal<Changes> CURRENT = WorkflowLocal.withCachedInitial(() -> BEFORE);
  /** This run's version of {@value #ENGINE}; DEFAULT_VERSION (ask each id) until {@link #decide}. */
  private static final WorkflowLocal<Integer> ENGINE_DECIDED = WorkflowLocal.withCachedInitial(() -> Workflow.DEFAULT_VERSION);

  /** Call once, first thing in the workflow method: {@value #ENGINE} first, before any other id. */
  static Changes decide() {
    ENGINE_DECIDED.set(Workflow.getVersion(ENGINE, Workflow.DEFAULT_VERSION, ENGINE_VERSION));
    Changes c = new Changes(
        since(SAFE_ROLLBACK),
        since(NOTHING_FAILS),
        since(STEP_POLICY),
        since(WINDOW_DST_AT_JUMP),
        since(ESCALATION_REMINDERS),
        since(HOLD_GATES_AT_INTERVAL),
        since(STABLE_AT_START));
    CURRENT.set(c);
    return c;
  }

  /**
   * Whether this rollout has the change {@code id} (version 1 of it): on without a marker when this
   * run's {@value #ENGINE} version folds it in, else {@code Workflow.getVersion(id, DEFAULT_VERSION,
   * 1) == 1}, asked here exactly as before. Workflow code only; the one way to ask for a change.
   */
  static boolean since(String id) {
    Integer folded = FOLDED.get(id);
    if (folded != null && ENGINE_DECIDED.get() >= folded) return true;
    return Workflow.getVersion(id, Workflow.DEFAULT_VERSION, 1) == 1;
  }

  /** This run's version of {@value #ENGINE} (DEFAULT_VERSION for a rollout started before it). */
  static int engine() {
    return ENGINE_DECIDED.get();
  }

  /** What this run decided; {@link #BEFORE} until it did. */
  static Changes current() {
    return CURRENT.get();
  }
}
