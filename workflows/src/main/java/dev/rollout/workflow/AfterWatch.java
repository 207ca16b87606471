package dev.rollout.workflow;

import dev.rollout.activities.MetricActivities.BoundGate;
import dev.rollout.plan.Durations;
import dev.rollout.plan.Phase;
import dev.rollout.plan.Plan;
import java.time.Instant;
import java.util.List;

/**
 * The watch period after the last phase ("continue monitoring for 2 weeks"): the plan's triggers
 * and the last phase's stay armed until the plan's {@code watch} has passed. A breach then acts as
 * its tier says (a warning tells people, a rollback-tier trigger rolls back); the state says
 * {@code WATCHING} and until when.
 */
final class AfterWatch {
  static final String WATCH = "post-rollout-watch";

  private final Plan plan;
  private final GateBinder binder;
  private final StatusBoard status;
  private final WatchedWait waits;

  AfterWatch(Plan plan, GateBinder binder, StatusBoard status, WatchedWait waits) {
    this.plan = plan;
    this.binder = binder;
    this.status = status;
    this.waits = waits;
  }

  void run() {
    if (plan.watch() == null || plan.phases().isEmpty()) return;
    if (!Changes.since(WATCH)) return;
    Phase last = plan.phases().get(plan.phases().size() - 1);
    List<BoundGate> triggers = binder.bind(binder.triggers(last));
    Instant until = StatusBoard.now().plus(plan.watch());
    String what = "watching " + triggers.size() + " trigger(s) for " + Durations.format(plan.watch())
        + " after the last phase";
    status.waitFor(RolloutState.WATCHING, new RolloutStatus.WaitingFor(RolloutStatus.WaitKind.WATCH, List.of(), List.of(), 0, until, what));
    status.log("system", what, "until " + until);
    waits.waitWatching(until, () -> false, triggers);
    status.log("system", "watch period over", "no trigger rolled back in " + Durations.format(plan.watch()));
  }
}
