package dev.rollout.rehearsal;

import dev.rollout.activities.DeployActivities;
import dev.rollout.plan.Workload;
import java.util.LinkedHashMap;
import java.util.Map;

/** Keeps each workload's image, replicas and environment (starting at {@code name:stable}, 2 replicas). */
public final class RecordingDeploy implements DeployActivities {
  private final RehearsalWorld world;

  public RecordingDeploy(RehearsalWorld world) {
    this.world = world;
  }

  @Override
  public WorkloadState current(String rolloutId, String workload, Workload spec) {
    world.record("deploy", "current", workload, workload);
    return world.workload(workload);
  }

  @Override
  public void setImage(String rolloutId, String workload, Workload spec, String image) {
    world.record("deploy", "setImage", workload, workload + " " + image);
    WorkloadState s = world.workload(workload);
    world.workloads.put(workload, new WorkloadState(image, s.replicas(), s.env(), null, true));
  }

  @Override
  public void scale(String rolloutId, String workload, Workload spec, int replicas) {
    world.record("deploy", "scale", workload, workload + " " + replicas);
    WorkloadState s = world.workload(workload);
    world.workloads.put(workload, new WorkloadState(s.image(), replicas, s.env(), null, true));
  }

  @Override
  public void setEnv(String rolloutId, String workload, Workload spec, Map<String, String> env) {
    world.record("deploy", "setEnv", workload, workload + " " + env);
    WorkloadState s = world.workload(workload);
    Map<String, String> next = new LinkedHashMap<>(s.env());
    env.forEach((k, v) -> {
      if (v == null) next.remove(k);
      else next.put(k, v);
    });
    world.workloads.put(workload, new WorkloadState(s.image(), s.replicas(), next, null, true));
  }
}
