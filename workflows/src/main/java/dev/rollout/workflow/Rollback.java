package dev.rollout.workflow;

import dev.rollout.plan.Phase;
import dev.rollout.plan.Severity;
import dev.rollout.plan.Step;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.TemporalFailure;
import java.util.List;

/**
 * Undoes a rollout, phase by phase from the last one that ran steps: first the phase's explicit
 * {@code rollback} steps, then its compensations, most recent first. Runs in a detached
 * cancellation scope (see {@link RolloutWorkflowImpl}) and each undo retries on its own. The first
 * undo that still fails stops the rollback: it ends {@code ROLLBACK_FAILED} naming that undo, the
 * rest stay on the stack (shown in the status) for people to finish by hand.
 */
final class Rollback {
  private final Rollout r;

  Rollback(Rollout rollout) {
    this.r = rollout;
  }

  RolloutResult run(RollbackRequested why) {
    r.status().set(RolloutState.ROLLING_BACK, null);
    r.status().log("system", "rollback (" + why.trigger() + ")", why.reason());
    r.notices().send(r.notices().onRollback(), Severity.CRITICAL,
        "rolling back " + r.plan().name(), why.trigger() + ": " + why.reason());
    List<Phase> phases = r.plan().phases();
    RollbackReach reach = new RollbackReach(r.plan(), r.status().phaseIndex());
    if (!reach.kept(r.startedPhases()).isEmpty()) {
      r.status().log("system", "rolling back " + reach.target().key() + " only (rollbackScope: target)",
          "kept as they are: " + String.join(", ", reach.kept(r.startedPhases())));
    }
    for (int i = phases.size() - 1; i >= 0; i--) {
      if (!reach.undoes(i)) continue;
      String failed = r.startedPhases().contains(i) ? rollbackSteps(i, phases.get(i)) : null;
      while (failed == null && r.stack().peek() != null && r.stack().peek().phase() == i) {
        failed = undo(r.stack().peek());
      }
      if (failed != null) return failed(why, failed);
    }
    return new RolloutResult(Outcome.ROLLED_BACK, why.reason(), why.trigger(), null, r.status().decisions());
  }

  /** The phase's explicit rollback steps; null when all ran, else what failed. */
  private String rollbackSteps(int index, Phase phase) {
    for (int s = 0; s < phase.rollback().size(); s++) {
      Step step = phase.rollback().get(s);
      String label = Steps.label(step);
      r.status().set(RolloutState.ROLLING_BACK, "rollback step: " + label);
      if (step instanceof Step.Notify n) {
        r.notices().send(n.notifier(), n.severity(), phase.name() + ": " + label, n.message());
      } else if (step instanceof Step.Bake || step instanceof Step.Checklist) {
        r.status().log("system", "skipped rollback step '" + label + "'", "a rollback does not wait");
      } else {
        try {
          r.steps().change(-1, "p" + (index + 1) + "r" + (s + 1), step);
        } catch (TemporalFailure | RollbackRequested e) {
          return "phase " + (index + 1) + ": rollback step " + label + ": " + message(e);
        }
      }
    }
    return null;
  }

  private String undo(CompensationStack.Compensation c) {
    r.status().set(RolloutState.ROLLING_BACK, "undo: " + c.description());
    try {
      c.undo().run();
      r.stack().pop();
      return null;
    } catch (ActivityFailure | RollbackRequested e) {
      return "phase " + (c.phase() + 1) + ": " + c.description() + ": " + message(e);
    }
  }

  private RolloutResult failed(RollbackRequested why, String failed) {
    r.status().log("system", "rollback failed", failed);
    r.notices().send(r.notices().onRollback(), Severity.CRITICAL,
        "ROLLBACK FAILED: " + r.plan().name(), failed + "; still to undo by hand: " + r.stack().descriptions());
    return new RolloutResult(Outcome.ROLLBACK_FAILED, why.reason(), why.trigger(), failed, r.status().decisions());
  }

  private static String message(RuntimeException e) {
    return e instanceof RollbackRequested rr ? rr.reason() : Rollout.rootMessage(e);
  }
}
