package dev.rollout.plan;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** How traffic is split between the stable and the new version; the {@code type} picks one. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Router.Nginx.class, name = "nginx"),
  @JsonSubTypes.Type(value = Router.GatewayRoute.class, name = "gateway"),
  @JsonSubTypes.Type(value = Router.ReplicaRatio.class, name = "replicas"),
  @JsonSubTypes.Type(value = Router.FlagPercentage.class, name = "flag"),
  @JsonSubTypes.Type(value = Router.HttpProxy.class, name = "proxy"),
})
public sealed interface Router {

  List<String> TYPES = List.of("nginx", "gateway", "replicas", "flag", "proxy");

  /**
   * Weights of an nginx upstream kept in its own included file.
   *
   * @param upstreamFile the file holding the {@code upstream} block, rewritten on each shift
   * @param nginxConfig the main nginx.conf (for {@code nginx -t} and reload)
   */
  record Nginx(
      String upstreamFile, String nginxConfig, String upstream, String stable, String canary)
      implements Router {}

  /** Gateway API HTTPRoute backendRef weights. */
  record GatewayRoute(String namespace, String route, String stableService, String canaryService)
      implements Router {}

  /** The ratio of canary to stable replicas of two Deployments. */
  record ReplicaRatio(String namespace, String stable, String canary, int totalReplicas)
      implements Router {}

  /** The rollout percentage of a feature flag (users are bucketed by a hash of their id). */
  record FlagPercentage(String store, String flag) implements Router {}

  /** A weighted HTTP proxy with an admin endpoint, such as the demo's local router. */
  record HttpProxy(String adminUrl) implements Router {}
}
