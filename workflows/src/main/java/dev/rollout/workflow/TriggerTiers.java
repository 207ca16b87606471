package dev.rollout.workflow;

import dev.rollout.activities.MetricActivities.BoundGate;
import dev.rollout.activities.MetricActivities.GateResult;
import dev.rollout.plan.Gate;
import dev.rollout.plan.Severity;
import dev.rollout.plan.TriggerAction;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The severity tiers of rollback triggers ({@code action: notify | hold | rollback}). A warning-tier
 * trigger that fires tells people once and is then left out of the watch until its reminder is due
 * ({@code remindEvery}): if it still holds then, people are reminded; it never notifies at every
 * check, and the rollout goes on. Kept apart from {@link TriggerGuard}, which asks it what to watch and
 * what a fired trigger means.
 */
final class TriggerTiers {
  /** Version 1 acts on a trigger's tier; before, every trigger rolled back. */
  static final String TIERS = "trigger-action-tiers";

  /** What a fired trigger asks the bake to do. */
  enum Reaction {
    /** People were told; keep watching. */
    GO_ON,
    /** Hold for a decision, as an inconclusive trigger does. */
    HOLD,
    ROLLBACK
  }

  private final StatusBoard status;
  private final Notices notices;
  /** Warning-tier triggers already told, and when each may remind again. */
  private final Map<Gate, Instant> quietUntil = new HashMap<>();

  TriggerTiers(StatusBoard status, Notices notices) {
    this.status = status;
    this.notices = notices;
  }

  /** The triggers to watch now: all but the warnings told whose reminder is not yet due. */
  List<BoundGate> armed(List<BoundGate> triggers) {
    if (quietUntil.isEmpty()) return triggers;
    Instant now = StatusBoard.now();
    return triggers.stream().filter(t -> !quietUntil.getOrDefault(t.gate(), Instant.MIN).isAfter(now)).toList();
  }

  /** When the next reminder of a warning already told falls due, or null when none is pending. */
  Instant nextReminder() {
    Instant now = StatusBoard.now();
    Instant next = null;
    for (Instant until : quietUntil.values()) {
      if (until.isAfter(now) && (next == null || until.isBefore(next))) next = until;
    }
    return next;
  }

  /** A watch chunk cut short so that it ends when the next reminder falls due. */
  Duration chunk(Duration chunk) {
    Instant now = StatusBoard.now();
    Duration shortest = chunk;
    for (Instant until : quietUntil.values()) {
      Duration left = Duration.between(now, until);
      if (!left.isNegative() && !left.isZero() && left.compareTo(shortest) < 0) shortest = left;
    }
    return shortest;
  }

  /**
   * What {@code fired} (a FAIL verdict of {@code trigger}) means by its tier; a warning is sent here.
   * {@code description} says what was seen, as the status shows it.
   */
  Reaction fired(BoundGate trigger, GateResult fired, String description) {
    if (trigger == null || trigger.gate().firingAction() == TriggerAction.ROLLBACK) return Reaction.ROLLBACK;
    if (!Changes.since(TIERS)) {
      return Reaction.ROLLBACK;
    }
    Gate gate = trigger.gate();
    if (gate.firingAction() == TriggerAction.HOLD) return Reaction.HOLD;
    boolean reminder = quietUntil.containsKey(gate);
    quietUntil.put(gate, StatusBoard.now().plus(gate.reminderInterval()));
    String what = (reminder ? "still: " : "") + description;
    status.log("system", "warning trigger " + (reminder ? "still holds" : "fired"), what);
    String notifier = gate.notifier() != null ? gate.notifier() : notices.fallback();
    notices.send(notifier, Severity.WARNING,
        (reminder ? "reminder: " : "") + "warning in phase " + status.phaseName() + ": " + gate.describe(), what);
    return Reaction.GO_ON;
  }
}
