package dev.rollout.activities.traffic;

import dev.rollout.plan.Router;

/**
 * One way of splitting traffic between the stable and the new version; one implementation per
 * {@link Router} type, in a package of its own ({@code traffic/nginx}, {@code traffic/gateway}, …).
 *
 * @param <R> the router spec this implementation serves
 */
public interface TrafficRouter<R extends Router> {

  /** The spec type this router serves; the registry picks a router by it. */
  Class<R> type();

  /** Sends {@code percent} (0-100) of traffic to the new version. Absolute, so safe to retry. */
  void setWeight(R spec, double percent) throws Exception;

  /** The percentage the router now sends to the new version, read back from the router itself. */
  double readWeight(R spec) throws Exception;

  /**
   * How far a read-back may differ from the percentage set, because the router can only store
   * coarse weights (e.g. whole replicas). Integer weights in thousandths by default.
   */
  default double tolerance(R spec) {
    return 0.05;
  }

  /** Puts all traffic back on the stable version. */
  default void reset(R spec) throws Exception {
    setWeight(spec, 0);
  }
}
