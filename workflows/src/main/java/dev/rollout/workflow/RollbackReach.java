package dev.rollout.workflow;

import dev.rollout.plan.Phase;
import dev.rollout.plan.Plan;
import dev.rollout.plan.RollbackScope;
import dev.rollout.plan.Target;
import java.util.ArrayList;
import java.util.List;

/**
 * Which phases a rollback undoes. With {@code rollbackScope: target} (the default) a failure in
 * production undoes production's stage only: development and staging, promoted and verified
 * earlier, keep the new version. With {@code all}, or when no phase names a target, every phase.
 */
final class RollbackReach {
  /** Version 1 keeps the other targets' stages; before, a rollback undid every phase. */
  static final String SCOPED = "rollback-scope-per-target";

  private final Plan plan;
  private final Target failed;

  /** {@code failedPhase}: the phase running when the rollback was asked for. */
  RollbackReach(Plan plan, int failedPhase) {
    this.plan = plan;
    Phase phase = failedPhase >= 0 && failedPhase < plan.phases().size() ? plan.phases().get(failedPhase) : null;
    boolean scoped = plan.rollbackScope() == RollbackScope.TARGET && phase != null && phase.target() != null
        && Changes.since(SCOPED);
    this.failed = scoped ? plan.targetOf(phase) : null;
  }

  boolean undoes(int phase) {
    return failed == null || failed.equals(plan.targetOf(plan.phases().get(phase)));
  }

  /** The phases left as they are, for the decision log; empty when every phase is undone. */
  List<String> kept(java.util.Set<Integer> started) {
    List<String> kept = new ArrayList<>();
    for (int i : started) {
      if (!undoes(i)) kept.add(plan.phases().get(i).name() + " (" + plan.targetOf(plan.phases().get(i)).key() + ")");
    }
    return kept;
  }

  /** The target rolled back, or null when all are. */
  Target target() {
    return failed;
  }
}
