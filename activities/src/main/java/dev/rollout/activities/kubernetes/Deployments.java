package dev.rollout.activities.kubernetes;

import dev.rollout.activities.support.Failures;
import dev.rollout.activities.support.Heartbeat;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import io.temporal.failure.ApplicationFailure;
import java.util.Objects;

/** Finding Deployments and waiting, heartbeating, until a change has rolled out. */
public final class Deployments {

  private final KubernetesClient client;
  private final KubernetesSettings settings;

  public Deployments(KubernetesClient client, KubernetesSettings settings) {
    this.client = client;
    this.settings = settings;
  }

  /** The Deployment's handle; a non-retryable failure when it does not exist. */
  public RollableScalableResource<Deployment> require(String namespace, String name) {
    if (namespace == null || name == null) throw Failures.badInput("a Deployment needs a namespace and a name");
    RollableScalableResource<Deployment> deployment = client.apps().deployments().inNamespace(namespace).withName(name);
    if (deployment.get() == null) throw Failures.badInput("Deployment " + namespace + "/" + name + " does not exist");
    return deployment;
  }

  /** Sets the replica count (a no-op when it already is). */
  public void scale(String namespace, String name, int replicas) {
    if (replicas < 0) throw Failures.badInput("replicas must not be negative, was " + replicas);
    var deployment = require(namespace, name);
    if (!Objects.equals(deployment.get().getSpec().getReplicas(), replicas)) {
      deployment.edit(d -> {
        d.getSpec().setReplicas(replicas);
        return d;
      });
    }
  }

  /**
   * Waits until the controller has seen the latest spec and every replica is updated and
   * available, as {@code kubectl rollout status} does.
   */
  public void awaitReady(String namespace, String name) throws InterruptedException {
    Heartbeat heartbeat = Heartbeat.current();
    long deadline = System.nanoTime() + settings.readyTimeout().toNanos();
    while (true) {
      Deployment d = require(namespace, name).get();
      String progress = progress(d);
      if (progress == null) return;
      if (System.nanoTime() > deadline) {
        throw ApplicationFailure.newNonRetryableFailure(
            "Deployment " + namespace + "/" + name + " not ready after " + settings.readyTimeout() + ": " + progress,
            "DeploymentNotReady");
      }
      heartbeat.beat(progress);
      Thread.sleep(settings.pollInterval().toMillis());
    }
  }

  /** What the rollout still waits for, or null when it is complete. */
  static String progress(Deployment d) {
    int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    DeploymentStatus s = d.getStatus();
    if (s == null) return "no status yet";
    Long generation = d.getMetadata().getGeneration();
    if (generation != null && (s.getObservedGeneration() == null || s.getObservedGeneration() < generation)) {
      return "waiting for the controller to observe generation " + generation;
    }
    int updated = orZero(s.getUpdatedReplicas());
    int available = orZero(s.getAvailableReplicas());
    int total = orZero(s.getReplicas());
    if (updated < want) return updated + " of " + want + " replicas updated";
    if (total > updated) return (total - updated) + " old replicas pending termination";
    if (available < want) return available + " of " + want + " updated replicas available";
    return null;
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
