package dev.rollout.activities.traffic.replicas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.activities.kubernetes.DeploymentFixtures;
import dev.rollout.activities.kubernetes.Deployments;
import dev.rollout.activities.kubernetes.KubernetesSettings;
import dev.rollout.activities.traffic.TrafficActivitiesImpl;
import dev.rollout.activities.traffic.TrafficRouters;
import dev.rollout.plan.Router;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ReplicaRatioRouterTest {

  KubernetesClient client;

  TrafficActivitiesImpl traffic() {
    var router = new ReplicaRatioRouter(new Deployments(client, new KubernetesSettings()));
    return new TrafficActivitiesImpl(new TrafficRouters(List.of(router)));
  }

  int replicas(String name) {
    return client.apps().deployments().inNamespace("shop").withName(name).get().getSpec().getReplicas();
  }

  @Test
  void scalesCanaryAndStableToTheRatioOfTheTotal() {
    DeploymentFixtures.create(client, "shop", "api", "api:1", 10);
    DeploymentFixtures.create(client, "shop", "api-canary", "api:2", 0);
    var spec = new Router.ReplicaRatio("shop", "api", "api-canary", 10);
    var traffic = traffic();

    traffic.setWeight("r1", "pods", spec, 30);
    assertThat(replicas("api-canary")).isEqualTo(3);
    assertThat(replicas("api")).isEqualTo(7);
    assertThat(traffic.currentWeight("r1", "pods", spec)).isEqualTo(30);

    traffic.setWeight("r1", "pods", spec, 25); // whole pods: 2 or 3 of 10 both within half a pod
    assertThat(replicas("api-canary") + replicas("api")).isEqualTo(10);

    traffic.setWeight("r1", "pods", spec, 0);
    assertThat(replicas("api-canary")).isZero();
    assertThat(replicas("api")).isEqualTo(10);
  }

  @Test
  void aMissingDeploymentIsNonRetryableAndNamed() {
    DeploymentFixtures.create(client, "shop", "api", "api:1", 4);

    assertThatThrownBy(() -> traffic().setWeight("r1", "pods", new Router.ReplicaRatio("shop", "api", "api-canary", 4), 50))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isTrue())
        .hasMessageContaining("shop/api-canary does not exist");
    assertThat(replicas("api")).isEqualTo(4);
  }
}
