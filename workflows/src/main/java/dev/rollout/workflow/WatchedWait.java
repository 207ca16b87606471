package dev.rollout.workflow;

import dev.rollout.activities.MetricActivities.BoundGate;
import dev.rollout.plan.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A wait for something other than time (people, a resume, a window) while the rollback triggers
 * are watched through the {@link TriggerGuard}: a change already made stays guarded while an
 * approval or a decision is pending. A trigger that cannot say (inconclusive) while people are
 * asked already is reported to them, not held for; set aside, it is watched again after a back-off
 * ({@link SetAside}).
 */
final class WatchedWait {
  private final StatusBoard status;
  private final Notices notices;
  private final OperatorControls controls;
  private final TriggerGuard guard;

  WatchedWait(StatusBoard status, Notices notices, OperatorControls controls, TriggerGuard guard) {
    this.status = status;
    this.notices = notices;
    this.controls = controls;
    this.guard = guard;
  }

  /**
   * Waits for {@code done} until {@code deadline} (null for none) while the triggers are watched.
   * True when {@code done}, false when the deadline passed.
   */
  boolean waitWatching(Instant deadline, Supplier<Boolean> done, List<BoundGate> triggers) {
    if (TriggerGuard.inUse()) return onGuard(deadline, done, triggers);
    if (triggers.isEmpty()) {
      if (deadline == null) {
        controls.await(done);
        return true;
      }
      Duration left = Duration.between(StatusBoard.now(), deadline);
      return left.isNegative() || left.isZero() ? done.get() : controls.await(left, done);
    }
    List<BoundGate> watched = new ArrayList<>(triggers);
    while (!done.get()) {
      Duration chunk = TriggerGuard.CHUNK;
      if (deadline != null) {
        Duration left = Duration.between(StatusBoard.now(), deadline);
        if (left.isNegative() || left.isZero()) return false;
        if (left.compareTo(chunk) < 0) chunk = left;
      }
      TriggerGuard.Inconclusive held = guard.watchChunk(chunk, watched, done);
      if (held != null) {
        // People are being asked already: tell them, and stop watching a trigger that cannot say.
        watched.remove(held.trigger());
        status.log("system", held.reason(), "not watched for the rest of this wait");
        notices.send(notices.fallback(), Severity.WARNING, "phase " + status.phaseName() + ": trigger inconclusive",
            held.reason());
      }
    }
    return true;
  }

  /** Holds while paused (between steps), the triggers watched on rollouts on the guard. */
  void awaitResumed(List<BoundGate> triggers) {
    if (TriggerGuard.inUse()) {
      onGuard(null, () -> !controls.paused(), triggers);
    } else {
      controls.awaitResumed();
    }
  }

  /** {@link #waitWatching} for a caller that knows the rollout is on the guard. */
  boolean onGuard(Instant deadline, Supplier<Boolean> done, List<BoundGate> triggers) {
    guard.newWait();
    List<BoundGate> watched = new ArrayList<>(triggers);
    SetAside aside = new SetAside(status);
    while (!done.get()) {
      if (deadline != null && !StatusBoard.now().isBefore(deadline)) return false;
      aside.rearmDue(watched);
      TriggerGuard.Inconclusive held = guard.await(aside.until(deadline), watched, done);
      if (held != null) {
        status.log("system", held.reason(), aside.rearmLater(held, SetAside.take(watched, held)));
        notices.send(notices.fallback(), Severity.WARNING,
            "phase " + status.phaseName() + (held.breach() ? ": trigger fired (action: hold)" : ": trigger inconclusive"),
            held.reason());
      }
    }
    return true;
  }
}
