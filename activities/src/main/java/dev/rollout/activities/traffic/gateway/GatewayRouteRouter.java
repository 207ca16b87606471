package dev.rollout.activities.traffic.gateway;

import dev.rollout.activities.support.Failures;
import dev.rollout.activities.traffic.TrafficRouter;
import dev.rollout.activities.traffic.Weights;
import dev.rollout.plan.Router;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRefBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.List;
import java.util.Optional;

/**
 * Gateway API {@code HTTPRoute} backendRef weights. Every rule that sends traffic to the stable
 * Service gets the split; a rule without the canary Service gets a backendRef for it (same port).
 */
public class GatewayRouteRouter implements TrafficRouter<Router.GatewayRoute> {

  private final KubernetesClient client;

  public GatewayRouteRouter(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Class<Router.GatewayRoute> type() {
    return Router.GatewayRoute.class;
  }

  @Override
  public void setWeight(Router.GatewayRoute spec, double percent) {
    Weights weights = Weights.of(percent);
    route(spec).edit(route -> {
      for (HTTPRouteRule rule : stableRules(spec, route)) {
        List<HTTPBackendRef> refs = rule.getBackendRefs();
        HTTPBackendRef stable = find(refs, spec.stableService()).orElseThrow();
        HTTPBackendRef canary = find(refs, spec.canaryService()).orElseGet(() -> {
          HTTPBackendRef added = new HTTPBackendRefBuilder().withName(spec.canaryService()).withPort(stable.getPort()).build();
          refs.add(added);
          return added;
        });
        stable.setWeight(weights.stable());
        canary.setWeight(weights.canary());
      }
      return route;
    });
  }

  @Override
  public double readWeight(Router.GatewayRoute spec) {
    HTTPRouteRule rule = stableRules(spec, route(spec).require()).get(0);
    int stable = weightOf(find(rule.getBackendRefs(), spec.stableService()));
    int canary = weightOf(find(rule.getBackendRefs(), spec.canaryService()));
    return new Weights(stable, canary).percent();
  }

  private Resource<HTTPRoute> route(Router.GatewayRoute spec) {
    Resource<HTTPRoute> route = client.resources(HTTPRoute.class).inNamespace(spec.namespace()).withName(spec.route());
    if (route.get() == null) {
      throw Failures.badInput("HTTPRoute " + spec.namespace() + "/" + spec.route() + " does not exist");
    }
    return route;
  }

  private static List<HTTPRouteRule> stableRules(Router.GatewayRoute spec, HTTPRoute route) {
    List<HTTPRouteRule> rules =
        route.getSpec().getRules().stream().filter(r -> find(r.getBackendRefs(), spec.stableService()).isPresent()).toList();
    if (rules.isEmpty()) {
      throw Failures.badInput(
          "HTTPRoute " + spec.namespace() + "/" + spec.route() + " has no rule with a backendRef to " + spec.stableService());
    }
    return rules;
  }

  private static Optional<HTTPBackendRef> find(List<HTTPBackendRef> refs, String service) {
    return refs == null ? Optional.empty() : refs.stream().filter(r -> service.equals(r.getName())).findFirst();
  }

  /** Gateway API: an unset weight is 1; an absent backend gets nothing. */
  private static int weightOf(Optional<HTTPBackendRef> ref) {
    return ref.map(r -> r.getWeight() == null ? 1 : r.getWeight()).orElse(0);
  }
}
