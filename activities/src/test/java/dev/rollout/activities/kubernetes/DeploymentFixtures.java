package dev.rollout.activities.kubernetes;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Deployments in the CRUD mock, and the status a controller would write (none runs there). */
public final class DeploymentFixtures {

  private DeploymentFixtures() {}

  public static Deployment create(KubernetesClient client, String ns, String name, String image, int replicas) {
    Deployment d = new DeploymentBuilder()
        .withNewMetadata().withNamespace(ns).withName(name).endMetadata()
        .withNewSpec().withReplicas(replicas)
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec().endTemplate()
        .endSpec().build();
    Deployment created = client.apps().deployments().inNamespace(ns).resource(d).create();
    markRolledOut(client, ns, name);
    return created;
  }

  /** What the Deployment controller writes once every replica of the current spec is available. */
  public static void markRolledOut(KubernetesClient client, String ns, String name) {
    client.apps().deployments().inNamespace(ns).withName(name).editStatus(d -> {
      int replicas = d.getSpec().getReplicas();
      d.setStatus(new DeploymentStatusBuilder()
          .withObservedGeneration(d.getMetadata().getGeneration())
          .withReplicas(replicas).withUpdatedReplicas(replicas).withReadyReplicas(replicas).withAvailableReplicas(replicas)
          .build());
      return d;
    });
  }
}
