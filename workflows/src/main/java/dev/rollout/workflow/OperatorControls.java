package dev.rollout.workflow;

import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What operators have asked for (pause, abort, skip the bake, a decision on a hold), set by the
 * update handlers and read by the running rollout at its waits.
 */
final class OperatorControls {
  private boolean paused;
  private String abortReason;
  private boolean skipBakeRequested;
  private Actions.Choice choice;
  private CancellationScope runningStep;

  boolean paused() {
    return paused;
  }

  void pause() {
    paused = true;
  }

  void resume() {
    paused = false;
  }

  /** An abort, or (since {@value Changes#NOTHING_FAILS}) a Temporal cancel request: both roll back. */
  boolean aborted() {
    return abortReason != null || cancelRequested();
  }

  /**
   * A cancel request from the Web UI or CLI cancels the workflow's root scope; {@code
   * Workflow.await} does not throw on it, so every wait asks.
   */
  private static boolean cancelRequested() {
    return Changes.current().nothingFails() && CancellationScope.current().isCancelRequested();
  }

  /** Records the abort and cancels the step in flight, so a slow step stops at once. */
  void abort(String reason) {
    abortReason = reason;
    if (runningStep != null) runningStep.cancel(reason);
  }

  void requestSkipBake() {
    skipBakeRequested = true;
  }

  /** True once per request: the bake that sees it ends. */
  boolean takeSkipBake() {
    boolean skip = skipBakeRequested;
    skipBakeRequested = false;
    return skip;
  }

  boolean skipBakeRequested() {
    return skipBakeRequested;
  }

  void decide(Actions.Choice decided) {
    choice = decided;
  }

  /** The decision on the current hold, cleared so the next hold waits afresh. */
  Actions.Choice takeChoice() {
    Actions.Choice c = choice;
    choice = null;
    return c;
  }

  boolean decided() {
    return choice != null;
  }

  /** Runs a step so that an abort cancels it (its activities, timers and waits). */
  void runCancellable(Runnable step) {
    runningStep = Workflow.newCancellationScope(step);
    try {
      runningStep.run();
    } finally {
      runningStep = null;
    }
  }

  /** Throws the rollback an abort asked for; call after every wait. */
  void checkAbort() {
    if (abortReason == null && cancelRequested()) abortReason = "cancel requested through Temporal";
    if (abortReason != null) throw new RollbackRequested("operator abort", abortReason);
  }

  /** Waits for {@code condition} or an abort; false when the timeout passed first. */
  boolean await(Duration timeout, Supplier<Boolean> condition) {
    boolean met = Workflow.await(timeout, () -> aborted() || condition.get());
    checkAbort();
    return met;
  }

  void await(Supplier<Boolean> condition) {
    Workflow.await(() -> aborted() || condition.get());
    checkAbort();
  }

  /** Holds while paused; returns how long it held. */
  Duration awaitResumed() {
    long from = Workflow.currentTimeMillis();
    await(() -> !paused);
    return Duration.ofMillis(Workflow.currentTimeMillis() - from);
  }
}
