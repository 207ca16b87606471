package dev.rollout.workflow;

import dev.rollout.activities.TrafficActivities;
import dev.rollout.plan.Phase;
import dev.rollout.plan.Router;
import dev.rollout.plan.Severity;
import dev.rollout.plan.Step;
import io.temporal.failure.ActivityFailure;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Before the first change: is the target in the state the rollout expects? A rollback sends all
 * traffic back to stable (0 % to the canary), which is right only if the canary carried nothing
 * when the rollout began. A router whose canary already carries traffic (a finished rollout
 * leaves it at 100 %) stops the rollout before it changes anything, unless the router says
 * {@code adoptLiveState: true}.
 */
final class LiveStateCheck {
  private final Rollout r;

  LiveStateCheck(Rollout rollout) {
    this.r = rollout;
  }

  /** Null when the rollout may go on; else its result, nothing changed. */
  RolloutResult stopBeforeChange() {
    Set<String> routers = new LinkedHashSet<>();
    for (Phase phase : r.plan().phases()) {
      for (Step step : phase.steps()) {
        if (step instanceof Step.ShiftTraffic t) routers.add(t.router());
      }
    }
    for (String name : routers) {
      Router spec = r.plan().resources().routers().get(name);
      if (spec == null || spec.adoptsLiveState()) continue;
      double live;
      try {
        live = ActivityStubs.step(TrafficActivities.class, "read weight of " + name)
            .currentWeight(r.request().rolloutId(), name, spec);
      } catch (ActivityFailure e) {
        return stop("could not read the live weight of router '" + name + "' before the first change: "
            + Rollout.rootMessage(e) + "; nothing was changed");
      }
      if (live > 0) {
        return stop("the canary of router '" + name + "' already carries " + Steps.percent(live)
            + " of traffic (a finished or unfinished rollout leaves it so), so a rollback could not tell what"
            + " stable is; nothing was changed. Send all traffic to stable first, or set adoptLiveState: true"
            + " on the router to start from the live split");
      }
    }
    return null;
  }

  private RolloutResult stop(String reason) {
    r.status().log("system", "stopped before the first change", reason);
    r.notices().send(r.notices().fallback(), Severity.WARNING, r.plan().name() + " stopped before changing anything", reason);
    return new RolloutResult(Outcome.STOPPED_BEFORE_CHANGE, reason, "target not in the expected state", null,
        r.status().decisions());
  }
}
