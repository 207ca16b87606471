package dev.rollout.demo;

import dev.rollout.activities.support.DaemonThreads;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local weighted HTTP router in front of the stable and canary versions. It sends exactly the
 * configured share of requests to the canary (no randomness, so a 10 % weight is 1 request in 10),
 * serves {@code /metrics}, and speaks the admin protocol of {@code HttpProxyRouter} at
 * {@code /admin/weight}.
 */
public final class WeightedRouter implements AutoCloseable {

  private static final Pattern CANARY = Pattern.compile("\"canary\"\\s*:\\s*([0-9.eE+-]+)");

  private final DemoService stable;
  private final DemoService canary;
  private final RouterMetrics metrics;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(8, DaemonThreads.named("demo-router"));
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private double canaryPercent;
  private double credit;

  private WeightedRouter(DemoService stable, DemoService canary, RouterMetrics metrics, HttpServer server) {
    this.stable = stable;
    this.canary = canary;
    this.metrics = metrics;
    this.server = server;
  }

  /** Starts the router on {@code port} (0 for a free one) with all traffic on the stable version. */
  public static WeightedRouter start(DemoService stable, DemoService canary, RouterMetrics metrics, int port)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    WeightedRouter router = new WeightedRouter(stable, canary, metrics, server);
    metrics.register(stable.version());
    metrics.register(canary.version());
    server.createContext("/", router::forward);
    server.createContext("/metrics", router::metrics);
    server.createContext("/admin/weight", router::weight);
    server.setExecutor(router.executor);
    server.start();
    return router;
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public String adminUrl() {
    return url() + "/admin";
  }

  public String metricsUrl() {
    return url() + "/metrics";
  }

  public synchronized double canaryPercent() {
    return canaryPercent;
  }

  /** Smooth weighting: each request earns the canary its percentage; a full 100 sends one there. */
  private synchronized DemoService pick() {
    credit += canaryPercent;
    if (credit >= 100) {
      credit -= 100;
      return canary;
    }
    return stable;
  }

  private void forward(HttpExchange exchange) throws IOException {
    try (exchange) {
      DemoService backend = pick();
      long start = System.nanoTime();
      int status;
      byte[] body;
      try {
        HttpRequest request =
            HttpRequest.newBuilder(backend.url().resolve(exchange.getRequestURI())).timeout(Duration.ofSeconds(5)).build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        status = response.statusCode();
        body = response.body();
      } catch (IOException e) {
        status = 502;
        body = (backend.version() + " unreachable: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      metrics.record(backend.version(), status, Duration.ofNanos(System.nanoTime() - start));
      exchange.getResponseHeaders().set("X-Version", backend.version());
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  private void metrics(HttpExchange exchange) throws IOException {
    respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
  }

  private void weight(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    if (method.equals("PUT") || method.equals("POST")) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Matcher m = CANARY.matcher(body);
      double percent = m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
      if (!(percent >= 0 && percent <= 100)) {
        respond(exchange, 400, "text/plain", "body must be {\"canary\": <0-100>}, was: " + body + "\n");
        return;
      }
      synchronized (this) {
        canaryPercent = percent;
        credit = 0;
      }
    } else if (!method.equals("GET")) {
      respond(exchange, 405, "text/plain", "GET or PUT\n");
      return;
    }
    respond(exchange, 200, "application/json", String.format(Locale.ROOT, "{\"canary\": %s}", canaryPercent()));
  }

  private static void respond(HttpExchange exchange, int status, String type, String text) throws IOException {
    try (exchange) {
      byte[] body = text.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
