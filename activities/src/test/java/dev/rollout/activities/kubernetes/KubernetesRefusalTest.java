package dev.rollout.activities.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.plan.Workload;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;

/** An API server that refuses (expectation mode): permanent answers must not be retried. */
@EnableKubernetesMockClient
class KubernetesRefusalTest {

  KubernetesMockServer server;
  KubernetesClient client;

  @Test
  void forbiddenIsNonRetryable() {
    server.expect().get().withPath("/apis/apps/v1/namespaces/shop/deployments/api").andReturn(403, "forbidden").once();
    var deploy = new DeployActivitiesImpl(client, new KubernetesSettings());
    var api = new Workload("shop", "api", "app");

    assertThatThrownBy(() -> deploy.current("r1", "api", api))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.isNonRetryable()).isTrue();
          assertThat(f.getType()).isEqualTo("KubernetesRefused");
        })
        .hasMessageContaining("reading api");
  }
}
