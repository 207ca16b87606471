package dev.rollout.activities.traffic.proxy;

import dev.rollout.activities.support.HttpClients;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollout.activities.traffic.TrafficRouter;
import dev.rollout.plan.Router;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * Splits traffic through a weighted HTTP proxy that has an admin endpoint, such as the demo's
 * local router. The admin protocol is two calls on {@code <adminUrl>/weight}:
 *
 * <ul>
 *   <li>{@code GET} answers {@code {"canary": 10.0}}: the percentage sent to the new version;
 *   <li>{@code PUT} with that same body sets it and answers the weight now in force.
 * </ul>
 */
public class HttpProxyRouter implements TrafficRouter<Router.HttpProxy> {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;

  public HttpProxyRouter() {
    this(HttpClients.newClient(TIMEOUT));
  }

  public HttpProxyRouter(HttpClient http) {
    this.http = http;
  }

  @Override
  public Class<Router.HttpProxy> type() {
    return Router.HttpProxy.class;
  }

  @Override
  public void setWeight(Router.HttpProxy spec, double percent) throws IOException, InterruptedException {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("percent must be 0-100, was " + percent);
    }
    String body = String.format(Locale.ROOT, "{\"canary\": %s}", percent);
    send(spec, HttpRequest.newBuilder(weightUri(spec)).PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  @Override
  public double readWeight(Router.HttpProxy spec) throws IOException, InterruptedException {
    return send(spec, HttpRequest.newBuilder(weightUri(spec)).GET());
  }

  private double send(Router.HttpProxy spec, HttpRequest.Builder request)
      throws IOException, InterruptedException {
    HttpRequest built = request.timeout(TIMEOUT).header("Content-Type", "application/json").build();
    HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(built.method() + " " + shown(built.uri()) + " answered HTTP " + response.statusCode());
    }
    JsonNode canary = JSON.readTree(response.body()).get("canary");
    if (canary == null || !canary.isNumber()) {
      throw new IOException(shown(built.uri()) + " answered no numeric \"canary\" weight");
    }
    return canary.asDouble();
  }

  /** A URL as it may be shown: without user info, query or fragment (they may carry credentials). */
  static String shown(java.net.URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getPath();
  }

  private static URI weightUri(Router.HttpProxy spec) {
    if (spec.adminUrl() == null || spec.adminUrl().isBlank()) {
      throw new IllegalArgumentException("router adminUrl is required for a proxy router");
    }
    String base = spec.adminUrl().endsWith("/") ? spec.adminUrl() : spec.adminUrl() + "/";
    return URI.create(base + "weight");
  }
}
