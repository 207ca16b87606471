package dev.rollout.activities.traffic;

import dev.rollout.activities.support.Registry;
import dev.rollout.plan.Router;
import java.util.List;

/** The traffic routers this worker has, one per {@link Router} type. */
public final class TrafficRouters {

  private final Registry<TrafficRouter<?>> registry;

  public TrafficRouters(List<? extends TrafficRouter<?>> routers) {
    this.registry = new Registry<>("traffic router", routers, TrafficRouter::type);
  }

  /** The router serving {@code spec}; a non-retryable failure naming the known types if none. */
  @SuppressWarnings("unchecked")
  public <R extends Router> TrafficRouter<R> forSpec(R spec) {
    return (TrafficRouter<R>) registry.forSpec(spec);
  }

  public String known() {
    return registry.known();
  }
}
