package dev.rollout.plan;

import java.time.Duration;
import java.util.List;

/**
 * A decision people must make: {@code quorum} distinct roles out of {@code roles}, each approved by
 * a distinct person. The person who started the rollout can never be its only approver.
 *
 * @param quorum how many of the roles must approve; null means all of them
 * @param deadline how long to wait; null means no deadline
 * @param onTimeout what happens when the deadline passes
 * @param escalateTo roles notified when the deadline passes and {@code onTimeout} is escalate;
 *     from then on they may approve too
 * @param notifier the notifier that tells people a decision is wanted; null for none
 * @param remindEvery while the approval is open, a reminder goes out this often (counted from when
 *     it opened, through the notifier); null for none
 */
public record Approval(
    List<String> roles,
    Integer quorum,
    Duration deadline,
    TimeoutAction onTimeout,
    List<String> escalateTo,
    String notifier,
    Duration remindEvery) {

  public Approval {
    roles = Lists.copy(roles);
    escalateTo = Lists.copy(escalateTo);
    onTimeout = onTimeout == null ? TimeoutAction.WAIT : onTimeout;
  }

  /** An approval without reminders. */
  public Approval(List<String> roles, Integer quorum, Duration deadline, TimeoutAction onTimeout, List<String> escalateTo,
      String notifier) {
    this(roles, quorum, deadline, onTimeout, escalateTo, notifier, null);
  }

  public int requiredApprovals() {
    return quorum == null ? roles.size() : quorum;
  }
}
