package dev.rollout.activities.traffic.replicas;

import dev.rollout.activities.kubernetes.Deployments;
import dev.rollout.activities.support.Failures;
import dev.rollout.activities.traffic.TrafficRouter;
import dev.rollout.plan.Router;

/**
 * Splits traffic by the ratio of canary to stable replicas behind one Service: {@code percent} of
 * {@code totalReplicas}, rounded to whole pods. The side that grows is scaled first, so capacity
 * never dips below the total during a shift.
 */
public class ReplicaRatioRouter implements TrafficRouter<Router.ReplicaRatio> {

  private final Deployments deployments;

  public ReplicaRatioRouter(Deployments deployments) {
    this.deployments = deployments;
  }

  @Override
  public Class<Router.ReplicaRatio> type() {
    return Router.ReplicaRatio.class;
  }

  @Override
  public void setWeight(Router.ReplicaRatio spec, double percent) {
    if (spec.totalReplicas() <= 0) throw Failures.badInput("router totalReplicas must be positive, was " + spec.totalReplicas());
    int canary = (int) Math.round(spec.totalReplicas() * percent / 100);
    int stable = spec.totalReplicas() - canary;
    int canaryNow = replicas(spec.namespace(), spec.canary());
    if (canary >= canaryNow) {
      deployments.scale(spec.namespace(), spec.canary(), canary);
      deployments.scale(spec.namespace(), spec.stable(), stable);
    } else {
      deployments.scale(spec.namespace(), spec.stable(), stable);
      deployments.scale(spec.namespace(), spec.canary(), canary);
    }
  }

  @Override
  public double readWeight(Router.ReplicaRatio spec) {
    int canary = replicas(spec.namespace(), spec.canary());
    int stable = replicas(spec.namespace(), spec.stable());
    return canary + stable == 0 ? 0 : 100.0 * canary / (canary + stable);
  }

  /** Whole pods: the read-back may be up to half a pod's share away from the percentage asked. */
  @Override
  public double tolerance(Router.ReplicaRatio spec) {
    return 50.0 / Math.max(1, spec.totalReplicas());
  }

  private int replicas(String namespace, String name) {
    Integer replicas = deployments.require(namespace, name).get().getSpec().getReplicas();
    return replicas == null ? 1 : replicas;
  }
}
