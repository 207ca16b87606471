package dev.rollout.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The services the scale benchmark rolls out, all behind one local endpoint: {@code /metrics}
 * serves each service's error rate in Prometheus text format ({@code
 * bench_error_rate_percent{service="s-1"} 0}), {@code /admin/<service>/weight} is the proxy
 * router's admin protocol (GET / PUT {@code {"canary": 10.0}}).
 */
final class ScaleTarget implements AutoCloseable {
  // Compiled once and answers built by appends: this router runs in the measured process, so its
  // per-request cost (a regex compiled and a String.format per PUT, JFR: part of the bench's ~7 % of a
  // mass rollback's samples) would be charged to the rollback.
  private static final Pattern WEIGHT = Pattern.compile("/admin/([^/]+)/weight");
  private static final Pattern CANARY = Pattern.compile("\"canary\"\\s*:\\s*([0-9.]+)");

  final Map<String, Double> errorRate = new ConcurrentHashMap<>();
  final Map<String, Double> weight = new ConcurrentHashMap<>();
  /**
   * When each service's canary weight was last set to 0 (epoch ms): the moment its rollback's undo
   * took effect at the router, i.e. when users stopped reaching the canary.
   */
  final Map<String, Long> zeroedAt = new ConcurrentHashMap<>();
  final AtomicLong scrapes = new AtomicLong();
  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
    Thread t = new Thread(r, "bench-target");
    t.setDaemon(true);
    return t;
  });

  ScaleTarget() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    server.setExecutor(threads);
    server.createContext("/metrics", this::metrics);
    server.createContext("/admin/", this::admin);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void metrics(HttpExchange exchange) throws IOException {
    scrapes.incrementAndGet();
    StringBuilder body = new StringBuilder(errorRate.size() * 48 + 64);
    body.append("# TYPE bench_error_rate_percent gauge\n");
    // Plain appends, no String.format: at 10,000 services this page is built every 5 s in the
    // worker's own process and its cost would be charged to the worker.
    errorRate.forEach((service, value) -> body.append("bench_error_rate_percent{service=\"").append(service)
        .append("\"} ").append(value.doubleValue()).append('\n'));
    answer(exchange, 200, body.toString());
  }

  private void admin(HttpExchange exchange) throws IOException {
    Matcher m = WEIGHT.matcher(exchange.getRequestURI().getPath());
    if (!m.matches()) {
      answer(exchange, 404, "{}");
      return;
    }
    String service = m.group(1);
    if (exchange.getRequestMethod().equals("PUT")) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Matcher v = CANARY.matcher(body);
      if (!v.find()) {
        answer(exchange, 400, "{\"error\":\"no canary weight\"}");
        return;
      }
      double canary = Double.parseDouble(v.group(1));
      weight.put(service, canary);
      if (canary == 0.0) zeroedAt.put(service, System.currentTimeMillis());
    }
    answer(exchange, 200, "{\"canary\": " + weight.getOrDefault(service, 0.0) + "}");
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
