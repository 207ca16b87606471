package dev.rollout.activities;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/** A real HTTP server on a free loopback port that records what it receives. */
public final class LocalHttpServer implements AutoCloseable {

  /** One request as received. */
  public record Received(String method, String path, Map<String, List<String>> headers, String body) {}

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  public LocalHttpServer(IntSupplier status) throws IOException {
    this(0, status, "ok");
  }

  public LocalHttpServer(int port, IntSupplier status, String answer) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 200);
    server.createContext("/", exchange -> handle(exchange, status.getAsInt(), answer));
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    server.start();
  }

  private void handle(HttpExchange exchange, int status, String answer) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), body));
    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  public List<Received> received() {
    return received;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
