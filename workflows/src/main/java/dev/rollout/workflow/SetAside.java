package dev.rollout.workflow;

import dev.rollout.activities.MetricActivities.BoundGate;
import dev.rollout.plan.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The triggers one wait or bake goes on without because they came back inconclusive (a source
 * that did not answer 4 reads in a row, a rejected query), each until it is watched again.
 *
 * <p>Since {@value #REARMED} a trigger set aside is re-armed one {@link #backOff} after the rollout
 * went on without it: at once in a wait for people (they are told), at the CONTINUE in a bake. The
 * wait or bake ends its watch at that moment (no timer of its own when it ends first), puts the
 * trigger back and watches it again; still unreadable, it comes back inconclusive and is handled
 * the same way again (a bake holds again: a blind bake asks rather than goes on unwatched).
 * Before, it stayed set aside for the rest of the wait: after a metrics outage during a day-long
 * approval, a real breach was not rolled back until the next wait.
 */
final class SetAside {
  /** Version 1 re-arms a trigger set aside for being inconclusive after {@link #backOff}. */
  static final String REARMED = "inconclusive-trigger-rearmed";
  /**
   * The shortest back-off: a metrics outage (a Prometheus restart, a network cut) is usually over
   * within minutes, and a trigger still unreadable when re-armed notifies (or holds) again, so
   * people hear of one outage at most four times an hour.
   */
  static final Duration AT_LEAST = Duration.ofMinutes(15);
  /** The longest a trigger goes unwatched after the rollout went on without it. */
  static final Duration AT_MOST = Duration.ofHours(1);
  /** A slow trigger gets ten of its checks (it takes four to come back inconclusive again). */
  static final int CHECKS = 10;

  /** A trigger out of the watch: its place in the list, its name, when it is watched again. */
  private record Entry(BoundGate trigger, int at, String name, Instant back) {}

  /** What {@link #take} did: its words for the log, and where the trigger was taken out (-1: not). */
  record Taken(String said, int at) {}

  private final StatusBoard status;
  private final List<Entry> entries = new ArrayList<>();

  SetAside(StatusBoard status) {
    this.status = status;
  }

  /** How long {@code trigger} stays set aside: ten of its intervals, within 15 min .. 1 h. */
  static Duration backOff(BoundGate trigger) {
    Duration checks = trigger.gate().interval().multipliedBy(CHECKS);
    if (checks.compareTo(AT_LEAST) < 0) return AT_LEAST;
    return checks.compareTo(AT_MOST) > 0 ? AT_MOST : checks;
  }

  /** {@link TriggerGuard#keepWatching}, saying whether the trigger was taken out of {@code watched}. */
  static Taken take(List<BoundGate> watched, TriggerGuard.Inconclusive held) {
    int at = watched.indexOf(held.trigger());
    int before = watched.size();
    String said = TriggerGuard.keepWatching(watched, held);
    return new Taken(said, watched.size() < before ? at : -1);
  }

  /**
   * The rollout goes on without a trigger {@link #take} took out for being inconclusive: on
   * rollouts with {@value #REARMED}, it comes back one back-off from now. A hold-tier trigger that
   * fired ({@code action: hold}, a breach people chose to go on with) stays set aside as before.
   * Returns what to log.
   */
  String rearmLater(TriggerGuard.Inconclusive held, Taken taken) {
    if (taken.at() < 0 || held.breach() || !Changes.since(REARMED)) return taken.said();
    Duration backOff = backOff(held.trigger());
    Instant back = StatusBoard.now().plus(backOff);
    entries.add(new Entry(held.trigger(), taken.at(), held.name(), back));
    return "not watching " + held.name() + " for " + Durations.format(backOff) + " (until " + back + "), then watching it again";
  }

  /** When the wait must next look up: the earliest re-arm before {@code end} (null: none), else {@code end}. */
  Instant until(Instant end) {
    Instant first = null;
    for (Entry e : entries) if (first == null || e.back().isBefore(first)) first = e.back();
    if (first == null || (end != null && !first.isBefore(end))) return end;
    return first;
  }

  /** Puts every trigger whose back-off is over back into {@code watched}, where it was; logs each. */
  void rearmDue(List<BoundGate> watched) {
    Instant now = StatusBoard.now();
    for (Entry e : List.copyOf(entries)) {
      if (now.isBefore(e.back())) continue;
      entries.remove(e);
      if (!watched.contains(e.trigger())) watched.add(Math.min(e.at(), watched.size()), e.trigger());
      status.log("system", "watching " + e.name() + " again", "set aside as inconclusive until " + e.back());
    }
  }
}
