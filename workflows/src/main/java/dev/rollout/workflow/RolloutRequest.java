package dev.rollout.workflow;

import dev.rollout.plan.Plan;

/**
 * @param rolloutId the workflow id, derived from the target by {@link RolloutIds}
 * @param startedBy who started it: never counts as the only approver
 * @param planSource the file or origin the plan came from, for people reading the status
 */
public record RolloutRequest(String rolloutId, Plan plan, String startedBy, String planSource) {}
