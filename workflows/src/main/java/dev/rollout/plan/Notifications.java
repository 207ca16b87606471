package dev.rollout.plan;

import java.util.List;

/**
 * Plan-wide notification defaults: which declared notifier hears about approvals wanted, rollbacks
 * and the end of the rollout.
 *
 * @param escalation who is told, and when, while an incident is open: from the moment the rollout
 *     starts rolling back until it ends (a rollback that waits for people keeps it open). Each rung
 *     is sent once, at its {@code after}; the rungs not yet due when the rollout ends are never sent.
 *     Empty for none.
 */
public record Notifications(String notifier, String onRollback, String onComplete, List<Escalation> escalation) {

  public Notifications {
    escalation = Lists.copy(escalation);
  }

  /** Notification defaults without an escalation chain. */
  public Notifications(String notifier, String onRollback, String onComplete) {
    this(notifier, onRollback, onComplete, null);
  }
}
