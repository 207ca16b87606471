package dev.rollout.activities.traffic;

import dev.rollout.activities.TrafficActivities;
import dev.rollout.activities.support.Failures;
import dev.rollout.activities.support.Heartbeat;
import dev.rollout.activities.support.WriteOrder;
import dev.rollout.plan.Router;
import io.temporal.failure.ApplicationFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Shifts traffic through whichever router the plan declares, and checks it by reading back. */
public class TrafficActivitiesImpl implements TrafficActivities {

  private static final Logger log = LoggerFactory.getLogger(TrafficActivitiesImpl.class);

  private final TrafficRouters routers;
  private final WriteOrder order = new WriteOrder();

  public TrafficActivitiesImpl(TrafficRouters routers) {
    this.routers = routers;
  }

  @Override
  public double currentWeight(String rolloutId, String router, Router spec) {
    try {
      return routers.forSpec(spec).readWeight(spec);
    } catch (Exception e) {
      throw Failures.retryable("reading the weight of router '" + router + "'", e);
    }
  }

  @Override
  public void setWeight(String rolloutId, String router, Router spec, double percent) {
    Weights.checkPercent(percent);
    TrafficRouter<Router> provider = routers.forSpec(spec);
    Heartbeat.current().beat("setting " + router + " to " + percent + "%");
    try {
      order.write("router '" + router + "'", () -> apply(rolloutId, router, spec, percent, provider));
    } catch (Exception e) {
      throw Failures.retryable("setting router '" + router + "' to " + percent + "%", e);
    }
  }

  private Void apply(String rolloutId, String router, Router spec, double percent, TrafficRouter<Router> provider) throws Exception {
    provider.setWeight(spec, percent);
    double now = provider.readWeight(spec);
    if (Math.abs(now - percent) > provider.tolerance(spec) + 1e-9) {
      throw ApplicationFailure.newFailure(
          "router '" + router + "' reads back " + now + "% after being set to " + percent + "%", "WeightNotApplied");
    }
    log.info("{}: router {} now sends {}% to the new version", rolloutId, router, now);
    return null;
  }
}
