package dev.rollout.client;

import dev.rollout.worker.VisibilityQuery;
import dev.rollout.workflow.RolloutSearchAttributes;
import dev.rollout.workflow.RolloutState;

/**
 * Which rollouts a listing wants; every field null (or blank) for all. Answered by the server as a
 * visibility query on the rollouts' search attributes ({@link #query()}) — on a real Temporal
 * server and on the embedded one alike — except a bare service name, which no attribute holds
 * (targets are kept as {@code service/environment} keys): that one is matched on the listed rows.
 *
 * @param target a target key ({@code orders/production}) or a service name ({@code orders})
 * @param state the rollout's state now ({@link RolloutSearchAttributes#STATE})
 * @param waitingFor a role the rollout waits for now ({@link RolloutSearchAttributes#WAITING_FOR}),
 *     as the plan spells it
 */
public record RolloutFilter(String target, RolloutState state, String waitingFor) {
  public static final RolloutFilter ALL = new RolloutFilter(null, null, null);

  public RolloutFilter {
    target = blankToNull(target);
    waitingFor = blankToNull(waitingFor);
  }

  /** The conditions the server answers. Throws IllegalArgumentException for a value with quotes. */
  VisibilityQuery query() {
    return query(RolloutLister.WORKFLOW_TYPE);
  }

  /** The same conditions on the runs of one workflow type (a rollout's, a recovery's). */
  VisibilityQuery query(String workflowType) {
    VisibilityQuery query = VisibilityQuery.where(VisibilityQuery.WORKFLOW_TYPE, workflowType);
    if (target != null && target.contains("/")) query = query.and(RolloutSearchAttributes.TARGET.getName(), target);
    if (state != null) query = query.and(RolloutSearchAttributes.STATE.getName(), state.name());
    if (waitingFor != null) query = query.and(RolloutSearchAttributes.WAITING_FOR.getName(), waitingFor);
    return query;
  }

  /** The one condition no search attribute answers: a bare service name, matched on the row. */
  boolean keeps(RolloutSummary row) {
    return target == null || target.contains("/") || RolloutLister.matches(row.target(), target);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
