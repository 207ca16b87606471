package dev.rollout.workflow;

import dev.rollout.activities.MetricActivities.BoundGate;
import dev.rollout.plan.GateFailureAction;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A bake: waits out its duration while rollback triggers are watched ({@link TriggerGuard}), then
 * leaves the acceptance gates to {@link GateJudge}. History stays small however long it bakes:
 * one watch activity checks the triggers at their own intervals for up to a day (a few events per
 * day, not per check).
 */
final class Baker {
  /** Version 1 checks acceptance gates at their interval during the bake, not only at its end. */
  static final String GATES_AT_INTERVAL = "gates-at-interval";

  private final StatusBoard status;
  private final OperatorControls controls;
  private final TriggerGuard guard;
  private final WatchedWait waits;
  private final Hold hold;

  Baker(StatusBoard status, OperatorControls controls, TriggerGuard guard, WatchedWait waits, Hold hold) {
    this.status = status;
    this.controls = controls;
    this.guard = guard;
    this.waits = waits;
    this.hold = hold;
  }

  /**
   * Bakes for {@code length}. A pause extends the bake by its length; a skip ends it now. Throws
   * {@link RollbackRequested} when a trigger fires or cannot be watched. A trigger that fires
   * inconclusive holds the rollout for a decision, as a held gate does: ROLLBACK rolls back, RETRY
   * runs the phase again, CONTINUE bakes on without that trigger (on the guard, since {@value
   * SetAside#REARMED}, until its back-off is over: then it is watched again, see {@link SetAside}).
   */
  void bake(String label, Duration length, List<BoundGate> triggers) {
    if (TriggerGuard.inUse()) {
      guardedBake(label, length, triggers);
      return;
    }
    Instant endsAt = StatusBoard.now().plus(length);
    List<BoundGate> watched = new ArrayList<>(triggers);
    status.set(RolloutState.BAKING, label);
    status.bakeUntil(endsAt);
    while (true) {
      if (controls.paused()) {
        status.setState(RolloutState.PAUSED);
        endsAt = endsAt.plus(controls.awaitResumed());
        status.setState(RolloutState.BAKING);
        status.bakeUntil(endsAt);
      }
      if (controls.takeSkipBake()) return;
      Duration left = Duration.between(StatusBoard.now(), endsAt);
      if (left.isNegative() || left.isZero()) return;
      TriggerGuard.Inconclusive held = guard.watchChunk(left.compareTo(TriggerGuard.CHUNK) < 0 ? left : TriggerGuard.CHUNK,
          watched, () -> controls.paused() || controls.skipBakeRequested());
      if (held != null) {
        status.log("system", held.reason(), label);
        watched.remove(held.trigger());
        hold.decide(held.reason(), watched, held.name(), held.reason(), HoldChoice.Retry.PHASE);
        status.log("system", "not watching " + held.name() + " for the rest of this bake", "CONTINUE chosen");
        status.set(RolloutState.BAKING, label);
        status.bakeUntil(endsAt);
      }
    }
  }

  /**
   * A bake whose acceptance gates are also watched at their interval (rollouts on the guard): a
   * gate failing for its whole {@code for} window rolls back at once when the phase says roll back,
   * and (since {@value Changes#HOLD_GATES_AT_INTERVAL}) holds at once when it says hold; before,
   * such a phase was asked only after the final evaluation. The final evaluation stays.
   */
  void bake(String label, Duration length, List<BoundGate> triggers, List<BoundGate> gates, GateFailureAction onFailure) {
    boolean watchGates = onFailure == GateFailureAction.ROLLBACK
        || (onFailure == GateFailureAction.HOLD && Changes.current().holdGatesAtInterval());
    if (!TriggerGuard.inUse() || gates.isEmpty() || !watchGates
        || !Changes.since(GATES_AT_INTERVAL)) {
      bake(label, length, triggers);
      return;
    }
    guardedBake(label, length, triggers, gates.stream().map(TriggerGuard::asWatch).toList(), onFailure);
  }

  private void guardedBake(String label, Duration length, List<BoundGate> triggers) {
    guardedBake(label, length, triggers, List.of(), GateFailureAction.ROLLBACK);
  }

  /** {@link #bake} on a {@link TriggerGuard}: watched while paused too, nothing ever cancelled. */
  private void guardedBake(
      String label, Duration length, List<BoundGate> triggers, List<BoundGate> gates, GateFailureAction onFailure) {
    List<BoundGate> gatesWatched = new ArrayList<>(gates);
    guard.newWait();
    Instant endsAt = StatusBoard.now().plus(length);
    List<BoundGate> watched = new ArrayList<>(triggers);
    SetAside aside = new SetAside(status);
    status.set(RolloutState.BAKING, label);
    status.bakeUntil(endsAt);
    while (true) {
      if (controls.paused()) {
        status.setState(RolloutState.PAUSED);
        long from = Workflow.currentTimeMillis();
        // a trigger this bake set aside comes back at its time while paused too (nothing set aside: one wait)
        do {
          aside.rearmDue(watched);
        } while (!waits.onGuard(aside.until(null), () -> !controls.paused(), watched));
        endsAt = endsAt.plus(Duration.ofMillis(Workflow.currentTimeMillis() - from));
        status.setState(RolloutState.BAKING);
        status.bakeUntil(endsAt);
      }
      if (controls.takeSkipBake()) return;
      if (!StatusBoard.now().isBefore(endsAt)) return;
      aside.rearmDue(watched);
      List<BoundGate> all = new ArrayList<>(watched);
      all.addAll(gatesWatched);
      TriggerGuard.Inconclusive held;
      try {
        held = guard.await(aside.until(endsAt), all, () -> controls.paused() || controls.skipBakeRequested());
      } catch (TriggerGuard.GateFailed failed) {
        status.log("system", failed.getMessage(), label);
        if (onFailure != GateFailureAction.HOLD) throw new RollbackRequested("gate failed", failed.getMessage());
        gatesWatched.remove(failed.watched); // the final evaluation still judges it
        hold.decide(failed.getMessage(), watched, "gate failed", failed.getMessage(), HoldChoice.Retry.PHASE);
        status.set(RolloutState.BAKING, label);
        status.bakeUntil(endsAt);
        continue;
      }
      if (held != null) {
        status.log("system", held.reason(), label);
        SetAside.Taken taken = SetAside.take(watched, held);
        hold.decide(held.reason(), watched, held.name(), held.reason(), HoldChoice.Retry.PHASE);
        // the back-off runs from the CONTINUE: people chose to go on blind from now
        status.log("system", aside.rearmLater(held, taken), "CONTINUE chosen");
        status.set(RolloutState.BAKING, label);
        status.bakeUntil(endsAt);
      }
    }
  }
}
