package dev.rollout.workflow;

import dev.rollout.activities.MetricActivities;
import dev.rollout.activities.MetricActivities.BoundGate;
import dev.rollout.activities.MetricActivities.Verdict;
import dev.rollout.activities.MetricActivities.WatchResult;
import dev.rollout.plan.Durations;
import dev.rollout.plan.Gate;
import dev.rollout.plan.GateFailureAction;
import dev.rollout.plan.NoDataAction;
import dev.rollout.plan.Severity;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A bake: waits out its duration while rollback triggers are watched, then leaves the acceptance
 * gates to {@link GateJudge}. History stays small however long it bakes: the wait is cut into
 * chunks of at most {@link #CHUNK}, each one timer raced by one heartbeating watch activity that
 * checks the triggers at their own intervals (a few events per chunk, not per check).
 */
final class Baker {
  static final Duration CHUNK = Duration.ofDays(1);
  /** How long a watch may still run after its chunk's timer fired before it is cancelled. */
  static final Duration WATCH_GRACE = Duration.ofMinutes(1);
  /** Version 1 waits for a watch still running at the end of its chunk; before, it was cancelled. */
  private static final String WAIT_FOR_WATCH = "wait-for-watch-at-chunk-end";
  /**
   * Version 1 watches through {@link TriggerGuard}: nothing a wait started is cancelled any more
   * (the ACTIVITY_UNKNOWN hang), and a watch outlives the wait it was started for.
   */
  static final String TRIGGER_GUARD = "trigger-guard";

  private final String rolloutId;
  private final PhaseTargets targets;
  private final StatusBoard status;
  private final OperatorControls controls;
  private final Notices notices;
  private final TriggerGuard guard;

  Baker(String rolloutId, PhaseTargets targets, StatusBoard status, OperatorControls controls, Notices notices) {
    this.rolloutId = rolloutId;
    this.targets = targets;
    this.status = status;
    this.controls = controls;
    this.notices = notices;
    // Severity tiers (notify | hold | rollback) act through the guard, so in every wait.
    this.guard = new TriggerGuard(rolloutId, targets, status, controls, new TriggerTiers(status, notices));
  }

  /** True for rollouts that started on code with {@link TriggerGuard}. */
  static boolean guarded() {
    return Workflow.getVersion(TRIGGER_GUARD, Workflow.DEFAULT_VERSION, 1) == 1;
  }

  TriggerGuard guard() {
    return guard;
  }

  /** A trigger the watch reported INCONCLUSIVE (no data with {@code onNoData: hold}, a rejected query). */
  private record Inconclusive(BoundGate trigger, String name, String reason) {}

  /**
   * Bakes for {@code length}. A pause extends the bake by its length; a skip ends it now. Throws
   * {@link RollbackRequested} when a trigger fires or cannot be watched. A trigger that fires
   * inconclusive holds the rollout for a decision, as a held gate does: ROLLBACK rolls back, RETRY
   * runs the phase again, CONTINUE bakes on without that trigger.
   */
  void bake(String label, Duration length, List<BoundGate> triggers) {
    if (guarded()) {
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
      Inconclusive held = watchFor(left.compareTo(CHUNK) < 0 ? left : CHUNK, watched,
          () -> controls.paused() || controls.skipBakeRequested());
      if (held != null) {
        status.log("system", held.reason(), label);
        watched.remove(held.trigger());
        HoldChoice.act(hold(held.reason(), watched), held.name(), held.reason(), HoldChoice.Retry.PHASE);
        status.log("system", "not watching " + held.name() + " for the rest of this bake", "CONTINUE chosen");
        status.set(RolloutState.BAKING, label);
        status.bakeUntil(endsAt);
      }
    }
  }

  /**
   * After a trigger came back inconclusive: it stays watched for a breach, but missing data no
   * longer holds (people know and chose to go on). One that is inconclusive for another reason (a
   * rejected query) twice is set aside for the rest of this wait. Says which.
   */
  private static String keepWatching(List<BoundGate> watched, TriggerGuard.Inconclusive held) {
    int at = watched.indexOf(held.trigger());
    if (at < 0) return "not watching " + held.name() + " for the rest of this wait";
    BoundGate t = held.trigger();
    if (!held.breach() && t.gate().onNoData() == NoDataAction.HOLD) {
      watched.set(at, TriggerGuard.ignoringNoData(t));
      return "still watching " + held.name() + " for a breach; missing data no longer holds";
    }
    watched.remove(at);
    return "not watching " + held.name() + " for the rest of this wait";
  }

  /** Holds while paused (between steps), the triggers watched on rollouts on the guard. */
  void awaitResumed(List<BoundGate> triggers) {
    if (guarded()) {
      waitGuarded(null, () -> !controls.paused(), triggers);
    } else {
      controls.awaitResumed();
    }
  }

  /** Version 1 checks acceptance gates at their interval during the bake, not only at its end. */
  static final String GATES_AT_INTERVAL = "gates-at-interval";

  /**
   * A bake whose acceptance gates are also watched at their interval (rollouts on the guard): a
   * gate failing for its whole {@code for} window rolls back at once when the phase says roll back,
   * and (since {@value Changes#HOLD_GATES_AT_INTERVAL}) holds at once when it says hold; before,
   * such a phase was asked only after the final evaluation. The final evaluation stays.
   */
  void bake(String label, Duration length, List<BoundGate> triggers, List<BoundGate> gates, GateFailureAction onFailure) {
    boolean watchGates = onFailure == GateFailureAction.ROLLBACK
        || (onFailure == GateFailureAction.HOLD && Changes.current().holdGatesAtInterval());
    if (!guarded() || gates.isEmpty() || !watchGates
        || Workflow.getVersion(GATES_AT_INTERVAL, Workflow.DEFAULT_VERSION, 1) != 1) {
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
    status.set(RolloutState.BAKING, label);
    status.bakeUntil(endsAt);
    while (true) {
      if (controls.paused()) {
        status.setState(RolloutState.PAUSED);
        long from = Workflow.currentTimeMillis();
        waitGuarded(null, () -> !controls.paused(), watched);
        endsAt = endsAt.plus(Duration.ofMillis(Workflow.currentTimeMillis() - from));
        status.setState(RolloutState.BAKING);
        status.bakeUntil(endsAt);
      }
      if (controls.takeSkipBake()) return;
      if (!StatusBoard.now().isBefore(endsAt)) return;
      List<BoundGate> all = new ArrayList<>(watched);
      all.addAll(gatesWatched);
      TriggerGuard.Inconclusive held;
      try {
        held = guard.await(endsAt, all, () -> controls.paused() || controls.skipBakeRequested());
      } catch (TriggerGuard.GateFailed failed) {
        status.log("system", failed.getMessage(), label);
        if (onFailure != GateFailureAction.HOLD) throw new RollbackRequested("gate failed", failed.getMessage());
        gatesWatched.remove(failed.watched); // the final evaluation still judges it
        HoldChoice.act(hold(failed.getMessage(), watched), "gate failed", failed.getMessage(), HoldChoice.Retry.PHASE);
        status.set(RolloutState.BAKING, label);
        status.bakeUntil(endsAt);
        continue;
      }
      if (held != null) {
        status.log("system", held.reason(), label);
        String still = keepWatching(watched, held);
        HoldChoice.act(hold(held.reason(), watched), held.name(), held.reason(), HoldChoice.Retry.PHASE);
        status.log("system", still, "CONTINUE chosen");
        status.set(RolloutState.BAKING, label);
        status.bakeUntil(endsAt);
      }
    }
  }

  /**
   * Holds the rollout ({@code ON_HOLD}) until someone decides, while {@code triggers} are watched;
   * returns the decision.
   */
  Actions.Choice hold(String reason, List<BoundGate> triggers) {
    status.waitFor(RolloutState.ON_HOLD, new RolloutStatus.WaitingFor(RolloutStatus.WaitKind.DECISION,
        status.plan().roles(), List.of(), 1, null, reason, status.newWaitId(RolloutStatus.WaitKind.DECISION), List.of()));
    notices.send(notices.fallback(), Severity.WARNING, "phase " + status.phaseName() + " on hold", reason);
    waitWatching(null, controls::decided, triggers);
    status.set(RolloutState.RUNNING_STEP, null);
    return controls.takeChoice();
  }

  /**
   * Waits for people ({@code done}) until {@code deadline} (null for none) while the triggers are
   * watched, chunk by chunk as in a bake: a change already made is still guarded while an approval
   * or a decision is pending. True when {@code done}, false when the deadline passed.
   */
  boolean waitWatching(Instant deadline, Supplier<Boolean> done, List<BoundGate> triggers) {
    if (guarded()) return waitGuarded(deadline, done, triggers);
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
      Duration chunk = CHUNK;
      if (deadline != null) {
        Duration left = Duration.between(StatusBoard.now(), deadline);
        if (left.isNegative() || left.isZero()) return false;
        if (left.compareTo(chunk) < 0) chunk = left;
      }
      Inconclusive held = watchFor(chunk, watched, done);
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

  /**
   * {@link #waitWatching} on the {@link TriggerGuard}. A trigger that cannot say (inconclusive)
   * while people are asked already is reported to them and not watched for the rest of the wait.
   */
  private boolean waitGuarded(Instant deadline, Supplier<Boolean> done, List<BoundGate> triggers) {
    guard.newWait();
    List<BoundGate> watched = new ArrayList<>(triggers);
    while (!done.get()) {
      if (deadline != null && !StatusBoard.now().isBefore(deadline)) return false;
      TriggerGuard.Inconclusive held = guard.await(deadline, watched, done);
      if (held != null) {
        status.log("system", held.reason(), keepWatching(watched, held));
        notices.send(notices.fallback(), Severity.WARNING,
            "phase " + status.phaseName() + (held.breach() ? ": trigger fired (action: hold)" : ": trigger inconclusive"),
            held.reason());
      }
    }
    return true;
  }

  /**
   * One chunk: a timer raced by the trigger watch (if any); returns early when {@code stop} holds,
   * with the trigger that fired inconclusive (else null); one that fired FAIL throws.
   * A watch ends with its chunk on its own, so when the timer fires first the watch is waited for
   * (up to {@link #WATCH_GRACE}) rather than cancelled: cancelling an activity that completes in
   * that same moment is refused by the server (ACTIVITY_UNKNOWN), and a trigger it saw fire at the
   * very end would be lost. Only a watch still running is ever cancelled.
   */
  private Inconclusive watchFor(Duration chunk, List<BoundGate> triggers, Supplier<Boolean> stop) {
    Promise<?>[] timer = new Promise<?>[1];
    @SuppressWarnings("unchecked")
    Promise<WatchResult>[] watch = new Promise[1];
    CancellationScope timerScope =
        Workflow.newCancellationScope(
            () -> timer[0] = Workflow.newTimer(
                chunk, TimerOptions.newBuilder().setSummary("bake " + Durations.format(chunk)).build()));
    CancellationScope watchScope =
        Workflow.newCancellationScope(
            () -> {
              if (triggers.isEmpty()) return;
              MetricActivities metrics =
                  ActivityStubs.watch(MetricActivities.class, "watch " + triggers.size() + " trigger(s)", chunk);
              watch[0] = Async.function(metrics::watch, rolloutId, targets.current(), triggers, chunk);
            });
    timerScope.run();
    watchScope.run();
    boolean watchEnded = false;
    try {
      controls.await(() -> timer[0].isCompleted() || fired(watch[0]) || stop.get());
      if (timer[0].isCompleted() && running(watch[0]) && !stop.get()
          && Workflow.getVersion(WAIT_FOR_WATCH, Workflow.DEFAULT_VERSION, 1) == 1) {
        controls.await(WATCH_GRACE, () -> !running(watch[0]) || stop.get());
      }
      watchEnded = watch[0] != null && watch[0].isCompleted();
    } finally {
      if (!timer[0].isCompleted()) timerScope.cancel();
      if (running(watch[0])) watchScope.cancel();
    }
    if (watchEnded && fired(watch[0])) {
      if (watch[0].getFailure() != null) {
        throw new RollbackRequested(
            "trigger watch failed", "could not watch the rollback triggers: " + watch[0].getFailure().getMessage());
      }
      WatchResult result = watch[0].get();
      status.gates(result.last());
      BoundGate trigger = triggerNamed(triggers, result.fired().gate());
      String name = trigger == null ? result.fired().gate() : trigger.gate().describe();
      String seen = result.fired().gate() + " = " + Readings.inReason(result.fired().value()) + " (" + result.fired().detail() + ")";
      if (result.fired().verdict() == Verdict.INCONCLUSIVE) {
        return new Inconclusive(trigger, name, "rollback trigger inconclusive: " + seen);
      }
      throw new RollbackRequested(name, "rollback trigger fired: " + seen);
    }
    return null;
  }

  private static boolean running(Promise<WatchResult> watch) {
    return watch != null && !watch.isCompleted();
  }

  /** A watch that failed, or that returned with a trigger fired; one that found nothing is ignored. */
  private static boolean fired(Promise<WatchResult> watch) {
    if (watch == null || !watch.isCompleted()) return false;
    return watch.getFailure() != null || watch.get().fired() != null;
  }

  private static BoundGate triggerNamed(List<BoundGate> triggers, String name) {
    for (BoundGate t : triggers) {
      Gate g = t.gate();
      if (name != null && (name.equals(g.name()) || name.equals(g.describe()) || name.equals(g.metric()))) {
        return t;
      }
    }
    return null;
  }
}
