package dev.rollout.activities;

import dev.rollout.plan.Workload;
import io.temporal.activity.ActivityInterface;
import java.util.Map;

/** Kubernetes Deployments: image, replicas and environment, each readable before it is changed. */
@ActivityInterface
public interface DeployActivities {

  /** What the workload runs now. */
  WorkloadState current(String rolloutId, String workload, Workload spec);

  /** Sets the container image and waits (heartbeating) until the Deployment is ready. */
  void setImage(String rolloutId, String workload, Workload spec, String image);

  /** Scales the Deployment and waits until the replicas are ready. */
  void scale(String rolloutId, String workload, Workload spec, int replicas);

  /** Sets environment variables on the container; a null value removes the variable. */
  void setEnv(String rolloutId, String workload, Workload spec, Map<String, String> env);

  /**
   * @param revision the Deployment's revision ({@code deployment.kubernetes.io/revision}); null when unknown
   * @param rolledOut true when every replica runs the current spec (no rollout in progress); null when unknown
   */
  record WorkloadState(String image, int replicas, Map<String, String> env, String revision, Boolean rolledOut) {
    public WorkloadState(String image, int replicas, Map<String, String> env) {
      this(image, replicas, env, null, null);
    }
  }
}
