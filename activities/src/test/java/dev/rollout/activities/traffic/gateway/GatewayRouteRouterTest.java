package dev.rollout.activities.traffic.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.activities.traffic.TrafficActivitiesImpl;
import dev.rollout.activities.traffic.TrafficRouters;
import dev.rollout.plan.Router;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class GatewayRouteRouterTest {

  KubernetesClient client;
  TrafficActivitiesImpl traffic;
  final Router.GatewayRoute spec = new Router.GatewayRoute("shop", "api", "api-stable", "api-canary");

  @BeforeEach
  void route() {
    HTTPRoute route = new HTTPRouteBuilder()
        .withNewMetadata().withNamespace("shop").withName("api").endMetadata()
        .withNewSpec()
        .addNewParentRef().withName("public-gateway").endParentRef()
        .addNewRule().addNewBackendRef().withName("api-stable").withPort(8080).endBackendRef().endRule()
        .addNewRule().addNewBackendRef().withName("docs").withPort(80).endBackendRef().endRule()
        .endSpec().build();
    client.resources(HTTPRoute.class).inNamespace("shop").resource(route).create();
    traffic = new TrafficActivitiesImpl(new TrafficRouters(List.of(new GatewayRouteRouter(client))));
  }

  List<HTTPBackendRef> refs(int rule) {
    return client.resources(HTTPRoute.class).inNamespace("shop").withName("api").get().getSpec().getRules().get(rule).getBackendRefs();
  }

  @Test
  void addsTheCanaryBackendAndSplitsTheStableRulesOnly() {
    assertThat(traffic.currentWeight("r1", "gw", spec)).isZero();

    traffic.setWeight("r1", "gw", spec, 10);

    assertThat(refs(0)).extracting(HTTPBackendRef::getName, HTTPBackendRef::getWeight, HTTPBackendRef::getPort)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("api-stable", 9, 8080), org.assertj.core.groups.Tuple.tuple("api-canary", 1, 8080));
    assertThat(refs(1)).extracting(HTTPBackendRef::getName).containsExactly("docs");
    assertThat(traffic.currentWeight("r1", "gw", spec)).isEqualTo(10);
  }

  @Test
  void aRetryAndAResetAreAbsolute() {
    traffic.setWeight("r1", "gw", spec, 50);
    traffic.setWeight("r1", "gw", spec, 50);
    assertThat(refs(0)).hasSize(2);
    assertThat(traffic.currentWeight("r1", "gw", spec)).isEqualTo(50);

    traffic.setWeight("r1", "gw", spec, 0);
    assertThat(refs(0)).extracting(HTTPBackendRef::getWeight).containsExactly(1, 0);
    assertThat(traffic.currentWeight("r1", "gw", spec)).isZero();
  }

  @Test
  void aMissingRouteOrStableBackendIsNamed() {
    assertThatThrownBy(() -> traffic.setWeight("r1", "gw", new Router.GatewayRoute("shop", "web", "a", "b"), 10))
        .hasMessageContaining("HTTPRoute shop/web does not exist");
    assertThatThrownBy(() -> traffic.setWeight("r1", "gw", new Router.GatewayRoute("shop", "api", "nope", "b"), 10))
        .hasMessageContaining("no rule with a backendRef to nope");
  }
}
