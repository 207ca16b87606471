package dev.rollout.workflow;

import dev.rollout.activities.MetricActivities.BoundGate;
import dev.rollout.plan.Freeze;
import dev.rollout.plan.Phase;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Step;
import io.temporal.workflow.Promise;
import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Time a phase must wait for: its deployment window, its freezes, and a pause before a step. Once
 * something changed, these waits are watched like any other ({@link WatchedWait}).
 */
final class PhaseWindow {
  /** Version 1 checks the window (and freezes) before every step that changes something. */
  static final String WINDOW_BEFORE_EVERY_CHANGE = "window-before-every-change";
  /**
   * Version 1 looks over two weeks ahead for a window's next opening ({@link
   * DeploymentWindows#DAYS_AHEAD}); before, nine days, and a weekly window whose next opening a DST
   * change swallowed rolled the rollout back ("never opens"). Asked only when nine days find nothing,
   * so no other rollout records its marker.
   */
  static final String WINDOW_WEEKS_AHEAD = "window-weeks-ahead";

  private final Plan plan;
  private final StatusBoard status;
  private final OperatorControls controls;
  private final WatchedWait waits;
  private final GuardingTriggers guarding;
  /** {@value #WINDOW_BEFORE_EVERY_CHANGE} as decided at the first step; null before it. */
  private Boolean windowBeforeEveryChange;

  PhaseWindow(Plan plan, StatusBoard status, OperatorControls controls, WatchedWait waits, GuardingTriggers guarding) {
    this.plan = plan;
    this.status = status;
    this.controls = controls;
    this.waits = waits;
    this.guarding = guarding;
  }

  /** Before a phase: waits for its window to open (and its freezes to end). */
  void awaitOpen(Phase phase) {
    waitUntil(nextStart(phase), "window of phase " + phase.name());
  }

  /**
   * Before a step: waits while paused and, for a step that changes something, until the phase's
   * window is open and no freeze holds (since {@value #WINDOW_BEFORE_EVERY_CHANGE}; before, only
   * freezes were waited out here).
   */
  void beforeStep(Phase phase, Step step, String label) {
    windowBeforeEveryChange = Changes.since(WINDOW_BEFORE_EVERY_CHANGE);
    if (windowBeforeEveryChange) {
      awaitWindowAndResume(phase, label, Steps.changes(step));
      return;
    }
    Freeze freeze;
    while ((freeze = DeploymentWindows.freezeAt(StatusBoard.now(), phase.freezes())) != null) {
      waitUntil(freeze.to(), "freeze: " + freeze.reason());
    }
    if (controls.paused()) {
      status.set(RolloutState.PAUSED, label);
      waits.awaitResumed(guarding.now());
    }
  }

  /**
   * Waits while paused and, for a step that changes something, until the phase's window is open
   * and no freeze holds — checked again after every wait, since a pause, an approval or a hold can
   * outlast the window.
   */
  private void awaitWindowAndResume(Phase phase, String label, boolean changes) {
    while (true) {
      if (controls.paused()) {
        status.set(RolloutState.PAUSED, label);
        waits.awaitResumed(guarding.now());
      }
      if (!changes) return;
      Instant start = nextStart(phase);
      if (!start.isAfter(StatusBoard.now()) && !controls.paused()) return;
      Freeze freeze = DeploymentWindows.freezeAt(StatusBoard.now(), phase.freezes());
      waitUntil(start, freeze != null ? "freeze: " + freeze.reason() : "window of phase " + phase.name() + " for " + label);
      controls.checkAbort();
    }
  }

  /** The earliest instant from now on inside the phase's window and outside its freezes. */
  private Instant nextStart(Phase phase) {
    Instant now = StatusBoard.now();
    Instant start = DeploymentWindows.nextStartWithin(now, phase.window(), plan.timeZone(), phase.freezes(), dst(),
        DeploymentWindows.DAYS_AHEAD_BEFORE_WEEKS);
    if (start != null) return start;
    if (!Changes.since(WINDOW_WEEKS_AHEAD)) throw DeploymentWindows.neverOpens(phase.window());
    return DeploymentWindows.nextStart(now, phase.window(), plan.timeZone(), phase.freezes(), dst());
  }

  /**
   * The DST rule this run computes its windows with. Since {@value Changes#WINDOW_DST_AT_JUMP}: at
   * the jump. A run without that marker started earlier, and the fix first went in without a
   * version, together with {@value #WINDOW_BEFORE_EVERY_CHANGE}: a run on that version computed
   * every window from its first step on at the jump, as that code did; before, shifted by the gap.
   */
  private DeploymentWindows.Dst dst() {
    if (Changes.current().windowDstAtJump()) return DeploymentWindows.Dst.AT_JUMP;
    if (Boolean.TRUE.equals(windowBeforeEveryChange)) return DeploymentWindows.Dst.AT_JUMP;
    return DeploymentWindows.Dst.SHIFTED_BY_GAP;
  }

  /** Sleeps (abortably) until {@code at}, showing it in the status; nothing when it has passed. */
  private void waitUntil(Instant at, String what) {
    Duration wait = Duration.between(StatusBoard.now(), at);
    if (wait.isNegative() || wait.isZero()) return;
    status.waitFor(RolloutState.WAITING_FOR_WINDOW,
        new RolloutStatus.WaitingFor(RolloutStatus.WaitKind.WINDOW, List.of(), List.of(), 0, at, what));
    status.windowOpensAt(at);
    if (TriggerGuard.inUse()) {
      // Once something changed, a wait for a window or out of a freeze is watched like any other.
      List<BoundGate> triggers = guarding.now();
      waits.waitWatching(at, () -> false, triggers);
      status.set(RolloutState.RUNNING_STEP, null);
      return;
    }
    Promise<Void> timer = Workflow.newTimer(wait, TimerOptions.newBuilder().setSummary(what).build());
    controls.await(timer::isCompleted);
    status.set(RolloutState.RUNNING_STEP, null);
  }
}
