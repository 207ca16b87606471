package dev.rollout.workflow;

import dev.rollout.plan.Plan;
import dev.rollout.plan.Target;
import java.util.stream.Collectors;

/**
 * Derives the workflow id from the plan's targets, so Temporal itself refuses a second running
 * rollout on the same target.
 */
public final class RolloutIds {
  private RolloutIds() {}

  public static String forPlan(Plan plan) {
    return "rollout-"
        + plan.targets().stream().map(RolloutIds::slug).sorted().collect(Collectors.joining("+"));
  }

  /** The id of a target's lock workflow ({@link TargetLockWorkflow}): one running per target. */
  public static String lockId(Target target) {
    return "target-lock-" + slug(target);
  }

  /** {@code service.environment}, lower case, safe in a workflow id. */
  public static String slug(Target t) {
    return (t.service() + "." + t.environment()).toLowerCase().replaceAll("[^a-z0-9.-]+", "-");
  }
}
