package dev.rollout.workflow;

import dev.rollout.activities.MetricActivities.BoundGate;
import dev.rollout.plan.Durations;
import dev.rollout.plan.Phase;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.List;

/**
 * The watch period after the last phase ("continue monitoring for 2 weeks"): the plan's triggers
 * and the last phase's stay armed until the plan's {@code watch} has passed. A breach then acts as
 * its tier says (a warning tells people, a rollback-tier trigger rolls back); the state says
 * {@code WATCHING} and until when.
 */
final class AfterWatch {
  private static final String WATCH = "post-rollout-watch";

  private final Rollout r;

  AfterWatch(Rollout rollout) {
    this.r = rollout;
  }

  void run() {
    if (r.plan().watch() == null || r.plan().phases().isEmpty()) return;
    if (Workflow.getVersion(WATCH, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) return;
    Phase last = r.plan().phases().get(r.plan().phases().size() - 1);
    List<BoundGate> triggers = r.binder().bind(r.binder().triggers(last));
    Instant until = StatusBoard.now().plus(r.plan().watch());
    String what = "watching " + triggers.size() + " trigger(s) for " + Durations.format(r.plan().watch())
        + " after the last phase";
    r.status().waitFor(RolloutState.WATCHING, new RolloutStatus.WaitingFor(RolloutStatus.WaitKind.WATCH, List.of(), List.of(), 0, until, what));
    r.status().log("system", what, "until " + until);
    r.baker().waitWatching(until, () -> false, triggers);
    r.status().log("system", "watch period over", "no trigger rolled back in " + Durations.format(r.plan().watch()));
  }
}
