package dev.rollout.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * The HTTP targets, in the test's own process so they outlive every worker: one weighted router
 * per rollout speaking the proxy admin protocol ({@code GET/PUT /routers/<name>/weight}), which
 * records every weight it was told to set, and one metrics endpoint per rollout
 * ({@code /metrics/<name>}) whose error rate breaches once that rollout's router sends at least its
 * scripted share of traffic to the new version: the new version is broken from there on.
 */
final class LocalTargets implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final double HEALTHY_ERROR_RATE = 0.2;
  static final double BROKEN_ERROR_RATE = 5.0;

  private final HttpServer server;
  private final Map<String, Double> weights = new ConcurrentHashMap<>();
  private final Map<String, List<Double>> puts = new ConcurrentHashMap<>();
  private final Map<String, Double> breakAt = new ConcurrentHashMap<>();
  /** Routers that answer 503 for now: a target that is down. */
  private final Map<String, Boolean> down = new ConcurrentHashMap<>();

  LocalTargets() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", JavaProcess.freePort()), 64);
    server.createContext("/routers/", this::router);
    server.createContext("/metrics/", this::metrics);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.start();
  }

  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The new version of {@code name} fails once it gets {@code percent} or more of the traffic. */
  void breakAt(String name, double percent) {
    breakAt.put(name, percent);
  }

  void down(String name, boolean isDown) {
    if (isDown) down.put(name, true);
    else down.remove(name);
  }

  double weight(String name) {
    return weights.getOrDefault(name, 0.0);
  }

  /** Every weight a PUT set, in order, retries included. */
  synchronized List<Double> puts(String name) {
    return List.copyOf(puts.getOrDefault(name, List.of()));
  }

  private void router(HttpExchange exchange) throws IOException {
    String name = exchange.getRequestURI().getPath().replaceFirst("^/routers/", "").replaceFirst("/weight$", "");
    if (down.containsKey(name)) {
      send(exchange, 503, "{\"error\": \"down\"}");
      return;
    }
    if (exchange.getRequestMethod().equals("PUT")) {
      JsonNode body = JSON.readTree(exchange.getRequestBody());
      double canary = body.get("canary").asDouble();
      synchronized (this) {
        weights.put(name, canary);
        puts.computeIfAbsent(name, n -> new ArrayList<>()).add(canary);
      }
    }
    send(exchange, 200, String.format(Locale.ROOT, "{\"canary\": %s}", weight(name)));
  }

  private void metrics(HttpExchange exchange) throws IOException {
    String name = exchange.getRequestURI().getPath().replaceFirst("^/metrics/", "");
    Double breaks = breakAt.get(name);
    double errors = breaks != null && weight(name) >= breaks ? BROKEN_ERROR_RATE : HEALTHY_ERROR_RATE;
    send(exchange, 200, "# TYPE error_rate gauge\nerror_rate " + errors + "\n");
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
