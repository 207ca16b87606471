package dev.rollout.plan;

/**
 * A Kubernetes Deployment the plan deploys, scales or configures.
 *
 * @param adoptLiveState null or false: a rollout whose Deployment is in the middle of a rollout, or
 *     already runs the image the plan deploys, stops before changing anything (a rollback could not
 *     tell what stable is); true: start from the live state and roll back to it
 */
public record Workload(String namespace, String deployment, String container, Boolean adoptLiveState) {

  public Workload(String namespace, String deployment, String container) {
    this(namespace, deployment, container, null);
  }

  public boolean adoptsLiveState() {
    return Boolean.TRUE.equals(adoptLiveState);
  }
}
