package dev.rollout.workflow;

import dev.rollout.activities.MetricActivities;
import dev.rollout.activities.MetricActivities.BoundGate;
import dev.rollout.activities.MetricActivities.Verdict;
import dev.rollout.activities.MetricActivities.WatchResult;
import dev.rollout.plan.Durations;
import dev.rollout.plan.Gate;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Keeps the rollback triggers watched across every wait of a rollout: bakes, approvals, holds,
 * pauses, checklists, windows. One heartbeating watch activity runs at a time, for at most {@link
 * #CHUNK}; a wait that ends early leaves it running and the next wait adopts it.
 *
 * <p>Nothing a wait started is ever cancelled, neither the watch nor a timer: cancelling one that
 * has just completed is refused by the server (ACTIVITY_UNKNOWN on the test server, which then
 * never retries the workflow task: the rehearsal hang). A watch whose triggers are no longer the
 * ones wanted is simply no longer looked at (it is started with {@link
 * ActivityCancellationType#ABANDON}, so not even a cancelled workflow sends a cancel for it); a
 * timer left behind fires into an empty workflow task.
 *
 * <p>Rollouts started before the guard ({@link #inUse} false) watch each chunk of each wait on its
 * own ({@link #watchChunk}); that way stays here, beside this one, for their histories to replay.
 */
final class TriggerGuard {
  static final Duration CHUNK = Duration.ofDays(1);
  /** How long a watch may still run after the wait it was started for ended, to say what it saw. */
  static final Duration WATCH_GRACE = Duration.ofMinutes(1);
  /**
   * Version 1 watches through this guard: nothing a wait started is cancelled any more (the
   * ACTIVITY_UNKNOWN hang), and a watch outlives the wait it was started for. Before, each wait
   * watched chunk by chunk on its own ({@link #watchChunk}).
   */
  static final String TRIGGER_GUARD = "trigger-guard";
  /** Version 1 waits for a watch still running at the end of its chunk; before, it was cancelled. */
  static final String WAIT_FOR_WATCH = "wait-for-watch-at-chunk-end";

  /** True for rollouts that started on code with the guard. */
  static boolean inUse() {
    return Changes.since(TRIGGER_GUARD);
  }

  /** How a watched acceptance gate is named in the watch, to tell it from a trigger. */
  static final String GATE = "gate: ";

  /** An acceptance gate the watch saw failing for its whole {@code for} window, mid-bake. */
  static final class GateFailed extends RuntimeException {
    final BoundGate watched;

    GateFailed(BoundGate watched, String reason) {
      super(reason, null, false, false);
      this.watched = watched;
    }
  }

  /**
   * An acceptance gate as a trigger the watch can check at the gate's interval: it fires when the
   * gate's condition is false at every sample over its {@code for} window (the gate failed). No
   * data is left to the final evaluation.
   */
  static BoundGate asWatch(BoundGate gate) {
    Gate g = gate.gate();
    dev.rollout.plan.Comparison not = switch (g.op()) {
      case LT -> dev.rollout.plan.Comparison.GE;
      case LE -> dev.rollout.plan.Comparison.GT;
      case GT -> dev.rollout.plan.Comparison.LE;
      case GE -> dev.rollout.plan.Comparison.LT;
    };
    Gate failing = new Gate(GATE + g.describe(), g.metric(), not, g.threshold(), g.sustain(), g.relativeTo(), g.interval(),
        dev.rollout.plan.NoDataAction.PASS);
    return new BoundGate(failing, gate.metric(), gate.baselineValue());
  }

  /**
   * A trigger the watch reported INCONCLUSIVE (no data with {@code onNoData: hold}, a rejected
   * query), or, with {@code breach}, a hold-tier trigger ({@code action: hold}) that fired.
   */
  record Inconclusive(BoundGate trigger, String name, String reason, boolean breach) {
    Inconclusive(BoundGate trigger, String name, String reason) {
      this(trigger, name, reason, false);
    }
  }

  /**
   * After a trigger came back inconclusive: it stays watched for a breach, but missing data no
   * longer holds (people know and chose to go on). One that is inconclusive for another reason (a
   * rejected query) twice is set aside for the rest of this wait (since {@value
   * SetAside#REARMED}: for its back-off, {@link SetAside}). Says which.
   */
  static String keepWatching(List<BoundGate> watched, Inconclusive held) {
    int at = watched.indexOf(held.trigger());
    if (at < 0) return "not watching " + held.name() + " for the rest of this wait";
    BoundGate t = held.trigger();
    if (!held.breach() && t.gate().onNoData() == dev.rollout.plan.NoDataAction.HOLD) {
      watched.set(at, ignoringNoData(t));
      return "still watching " + held.name() + " for a breach; missing data no longer holds";
    }
    watched.remove(at);
    return "not watching " + held.name() + " for the rest of this wait";
  }

  /** A watch in flight: the triggers it checks, when it ends of itself, and its result to come. */
  private record Watch(List<BoundGate> triggers, Instant endsAt, Promise<WatchResult> result) {}

  private final String rolloutId;
  private final PhaseTargets targets;
  private final StatusBoard status;
  private final OperatorControls controls;
  private final TriggerTiers tiers;
  private Watch watch;
  /** Watches lost with their worker, re-armed up to a bound. */
  private final LostWatch lost = LostWatch.none();
  /** The triggers of the last watch that returned with nothing seen, and when it was due to end. */
  private List<BoundGate> quietTriggers = List.of();
  private Instant quietUntil = Instant.MIN;
  private Instant timerAt;
  private Promise<Void> timer;
  /** The triggers watched right now, for the status. */
  private List<String> watching = List.of();

  TriggerGuard(
      String rolloutId, PhaseTargets targets, StatusBoard status, OperatorControls controls, TriggerTiers tiers) {
    this.rolloutId = rolloutId;
    this.targets = targets;
    this.status = status;
    this.controls = controls;
    this.tiers = tiers;
  }

  /**
   * Waits until {@code until} (null: no end) or until {@code stop} holds, while {@code triggers}
   * are watched. Returns the trigger that fired inconclusive, else null; throws {@link
   * RollbackRequested} when one fired (also one seen by a watch of an earlier wait).
   */
  Inconclusive await(Instant until, List<BoundGate> wanted, Supplier<Boolean> stop) {
    Inconclusive seen = takeResult(wanted);
    if (seen != null) return seen;
    Instant now = StatusBoard.now();
    if (until != null && !now.isBefore(until)) return null;
    // Warning-tier triggers already told stay out of the watch until their reminder is due; the
    // wait returns then (its caller waits on) so that the next watch checks them again.
    List<BoundGate> triggers = tiers.armed(wanted);
    Instant reminder = tiers.nextReminder();
    if (reminder != null && (until == null || reminder.isBefore(until))) until = reminder;
    Promise<Void> quietEnd = null;
    if (!triggers.isEmpty() && (watch == null || !watch.triggers().equals(triggers))) {
      if (watch == null && triggers.equals(quietTriggers) && now.isBefore(quietUntil)) {
        // The last watch of these triggers saw nothing and returned before its end: let its time run out.
        quietEnd = Workflow.newTimer(Duration.between(now, quietUntil),
            TimerOptions.newBuilder().setSummary("triggers quiet until " + quietUntil).build());
      } else {
        start(triggers, until);
      }
    }
    Promise<Void> end = timerFor(until);
    Instant endsAt = until;
    Watch w = watch;
    Promise<Void> quiet = quietEnd;
    controls.await(() -> (end != null && end.isCompleted()) || (w != null && w.result().isCompleted())
        || (quiet != null && quiet.isCompleted()) || stop.get());
    if (end != null && end.isCompleted() && w != null && !w.result().isCompleted() && !stop.get()
        && !w.endsAt().isAfter(endsAt)) {
      // The watch was started for this wait and ends with it: let it report what it saw at the end.
      Promise<Void> grace = Workflow.newTimer(WATCH_GRACE, TimerOptions.newBuilder().setSummary("watch grace").build());
      controls.await(() -> grace.isCompleted() || w.result().isCompleted() || stop.get());
    }
    return takeResult(wanted);
  }

  /**
   * A new wait begins: a watch that returned early with nothing seen (a rehearsal's, which
   * answers at once) covered the last wait only, so this one starts its own.
   */
  void newWait() {
    quietTriggers = List.of();
  }

  /** Throws when a watch still running from an earlier wait has seen a trigger fire since. */
  void check() {
    Inconclusive held = takeResult(List.of());
    if (held != null) {
      // Nobody is waiting to decide right now: say so; the next wait's watch checks it again.
      status.log("system", held.reason(), "seen between waits");
    }
  }

  /** The triggers watched right now (described as in the plan). */
  List<String> watching() {
    return watching;
  }

  private void start(List<BoundGate> triggers, Instant until) {
    Duration length = CHUNK;
    if (until != null) {
      Duration left = Duration.between(StatusBoard.now(), until);
      if (left.compareTo(length) < 0) length = left;
    }
    MetricActivities metrics = Workflow.newActivityStub(MetricActivities.class, ActivityStubs.onWatchQueue(
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(length.plus(Duration.ofMinutes(5)))
            .setHeartbeatTimeout(Duration.ofMinutes(2))
            .setRetryOptions(ActivityStubs.STEP_RETRIES)
            .setCancellationType(ActivityCancellationType.ABANDON)
            .setSummary("watch " + triggers.size() + " trigger(s) for " + Durations.format(length))
            .build()));
    List<BoundGate> copy = List.copyOf(triggers);
    watch = new Watch(copy, StatusBoard.now().plus(length), Async.function(metrics::watch, rolloutId, targets.current(), copy, length));
    watching(copy.stream().map(t -> t.gate().describe()).toList());
  }

  private void watching(List<String> names) {
    watching = names;
    status.watching(names);
  }

  /** One timer per end instant: a wait that loops towards the same end does not start another. */
  private Promise<Void> timerFor(Instant until) {
    if (until == null) return null;
    if (!until.equals(timerAt)) {
      timerAt = until;
      Duration left = Duration.between(StatusBoard.now(), until);
      timer = Workflow.newTimer(left, TimerOptions.newBuilder().setSummary("wait " + Durations.format(left)).build());
    }
    return timer;
  }

  /** Acts on a watch that has ended: null when it saw nothing; throws when a trigger fired. */
  private Inconclusive takeResult(List<BoundGate> wanted) {
    if (watch == null || !watch.result().isCompleted()) return null;
    Watch w = watch;
    watch = null;
    watching(List.of());
    RuntimeException failure = w.result().getFailure();
    if (failure instanceof CanceledFailure) return null;
    if (failure != null) {
      String rearmed = lost.rearm(failure);
      if (rearmed != null) {
        // Nothing was seen, nothing is lost but watching time: the next wait (or this one, looping) starts a new watch.
        status.log("system", rearmed, String.join(", ", w.triggers().stream().map(t -> t.gate().describe()).toList()));
        return null;
      }
      String times = lost.inARow() >= LostWatch.LIMIT ? " (lost " + lost.inARow() + " times in a row)" : "";
      throw new RollbackRequested("trigger watch failed", "could not watch the rollback triggers" + times + ": " + failure.getMessage());
    }
    lost.returned();
    WatchResult result = w.result().get();
    status.gates(result.last());
    if (result.fired() == null) {
      quietTriggers = w.triggers();
      quietUntil = w.endsAt();
      return null;
    }
    BoundGate trigger = triggerNamed(w.triggers(), result.fired().gate());
    if (trigger != null && trigger.gate().name() != null && trigger.gate().name().startsWith(GATE)) {
      // A gate failing mid-bake matters only to the bake that watches it; the final evaluation stays.
      if (!wanted.contains(trigger)) return null;
      String gate = trigger.gate().name().substring(GATE.length());
      throw new GateFailed(trigger, "gate failed: " + gate + " (seen " + Readings.inReason(result.fired().value()) + ", checked every "
          + Durations.format(trigger.gate().interval()) + ")");
    }
    String name = nameOf(trigger, result);
    String seen = seen(result);
    if (result.fired().verdict() == Verdict.INCONCLUSIVE) {
      return new Inconclusive(trigger, name, "rollback trigger inconclusive: " + seen);
    }
    return switch (tiers.fired(trigger, result.fired(), seen)) {
      case GO_ON -> null;
      case HOLD -> new Inconclusive(trigger, name, "trigger fired (action: hold): " + seen, true);
      case ROLLBACK -> throw new RollbackRequested(name, "rollback trigger fired: " + seen);
    };
  }

  // --- rollouts started before the guard: one watch per chunk of each wait ---

  /**
   * One chunk of a wait on a rollout started before the guard: a timer raced by the trigger watch
   * (if any); returns early when {@code stop} holds, with the trigger that fired inconclusive (else
   * null); one that fired FAIL throws. A watch ends with its chunk on its own, so when the timer
   * fires first the watch is waited for (up to {@link #WATCH_GRACE}) rather than cancelled:
   * cancelling an activity that completes in that same moment is refused by the server
   * (ACTIVITY_UNKNOWN), and a trigger it saw fire at the very end would be lost. Only a watch
   * still running is ever cancelled.
   */
  Inconclusive watchChunk(Duration chunk, List<BoundGate> triggers, Supplier<Boolean> stop) {
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
          && Changes.since(WAIT_FOR_WATCH)) {
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
      String name = nameOf(trigger, result);
      String seen = seen(result);
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

  /** The trigger as the plan describes it, or as the watch named it when it is not one of ours. */
  private static String nameOf(BoundGate trigger, WatchResult result) {
    return trigger == null ? result.fired().gate() : trigger.gate().describe();
  }

  /** What the watch saw fire, for the log and the rollback reason. */
  private static String seen(WatchResult result) {
    return result.fired().gate() + " = " + Readings.inReason(result.fired().value()) + " (" + result.fired().detail() + ")";
  }

  /** The same trigger, but no data is no reason to stop: only a breach fires it. */
  static BoundGate ignoringNoData(BoundGate t) {
    Gate g = t.gate();
    Gate same = new Gate(g.name(), g.metric(), g.op(), g.threshold(), g.sustain(), g.relativeTo(), g.interval(),
        dev.rollout.plan.NoDataAction.PASS);
    return new BoundGate(same, t.metric(), t.baselineValue());
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
