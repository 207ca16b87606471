package dev.rollout.plan;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * How traffic is split between the stable and the new version; the {@code type} picks one.
 *
 * <p>Every router may say {@code adoptLiveState: true}: a rollout then starts even when the canary
 * already carries traffic (it takes the live split as its starting point). Without it, a rollout
 * whose canary already carries traffic stops before changing anything: a rollback must be able to
 * send all traffic back to stable, and "stable" would be unclear.
 */
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

  /** Null or false: a canary that already carries traffic stops the rollout before its first change. */
  Boolean adoptLiveState();

  /** True when the plan says to start from the live split even if the canary carries traffic. */
  default boolean adoptsLiveState() {
    return Boolean.TRUE.equals(adoptLiveState());
  }

  /**
   * Weights of an nginx upstream kept in its own included file.
   *
   * @param upstreamFile the file holding the {@code upstream} block, rewritten on each shift
   * @param nginxConfig the main nginx.conf (for {@code nginx -t} and reload)
   */
  record Nginx(
      String upstreamFile, String nginxConfig, String upstream, String stable, String canary, Boolean adoptLiveState)
      implements Router {
    public Nginx(String upstreamFile, String nginxConfig, String upstream, String stable, String canary) {
      this(upstreamFile, nginxConfig, upstream, stable, canary, null);
    }
  }

  /** Gateway API HTTPRoute backendRef weights. */
  record GatewayRoute(String namespace, String route, String stableService, String canaryService, Boolean adoptLiveState)
      implements Router {
    public GatewayRoute(String namespace, String route, String stableService, String canaryService) {
      this(namespace, route, stableService, canaryService, null);
    }
  }

  /** The ratio of canary to stable replicas of two Deployments. */
  record ReplicaRatio(String namespace, String stable, String canary, int totalReplicas, Boolean adoptLiveState)
      implements Router {
    public ReplicaRatio(String namespace, String stable, String canary, int totalReplicas) {
      this(namespace, stable, canary, totalReplicas, null);
    }
  }

  /** The rollout percentage of a feature flag (users are bucketed by a hash of their id). */
  record FlagPercentage(String store, String flag, Boolean adoptLiveState) implements Router {
    public FlagPercentage(String store, String flag) {
      this(store, flag, null);
    }
  }

  /** A weighted HTTP proxy with an admin endpoint, such as the demo's local router. */
  record HttpProxy(String adminUrl, Boolean adoptLiveState) implements Router {
    public HttpProxy(String adminUrl) {
      this(adminUrl, null);
    }
  }
}
