package dev.rollout.activities;

import dev.rollout.plan.Workload;
import io.temporal.activity.ActivityInterface;
import java.util.Map;

/** Kubernetes Deployments: image, replicas and environment, each readable before it is changed. */
@ActivityInterface
public interface DeployActivities {

  /**
   * Stands for an environment variable's value wherever a value would travel through history: in
   * {@link WorkloadState#env()} it says "set" (literally or from a Secret/ConfigMap) without the
   * value; given to {@link #setEnv} it restores the variable as it was before this rollout first
   * changed it.
   */
  String ENV_VALUE_REDACTED = "(set; value not recorded)";

  /** What the workload runs now; env values redacted (see {@link #ENV_VALUE_REDACTED}). */
  WorkloadState current(String rolloutId, String workload, Workload spec);

  /** Sets the container image and waits (heartbeating) until the Deployment is ready. */
  void setImage(String rolloutId, String workload, Workload spec, String image);

  /** Scales the Deployment and waits until the replicas are ready. */
  void scale(String rolloutId, String workload, Workload spec, int replicas);

  /**
   * Sets environment variables on the container; a null value removes the variable; {@link
   * #ENV_VALUE_REDACTED} puts back what the variable was before this rollout first changed it (the
   * compensation), or leaves it when this rollout never changed it.
   */
  void setEnv(String rolloutId, String workload, Workload spec, Map<String, String> env);

  /**
   * @param env every variable of the container by name, each mapped to {@link #ENV_VALUE_REDACTED}
   *     (histories recorded before redaction hold literal values, which setEnv still restores)
   * @param revision the Deployment's revision ({@code deployment.kubernetes.io/revision}); null when unknown
   * @param rolledOut true when every replica runs the current spec (no rollout in progress); null when unknown
   */
  record WorkloadState(String image, int replicas, Map<String, String> env, String revision, Boolean rolledOut) {
    public WorkloadState(String image, int replicas, Map<String, String> env) {
      this(image, replicas, env, null, null);
    }
  }
}
