package dev.rollout.demo;

import dev.rollout.activities.support.DaemonThreads;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * One version of the demo's tiny HTTP service. It answers every request with its version; once
 * {@link #breakIt() broken} it answers 500, which is how {@code demo --break-at} makes a rollback
 * trigger fire.
 */
public final class DemoService implements AutoCloseable {

  private final String version;
  private final HttpServer server;
  private volatile boolean broken;

  private DemoService(String version, HttpServer server) {
    this.version = version;
    this.server = server;
  }

  /** Starts the service on a free loopback port. */
  public static DemoService start(String version) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    DemoService service = new DemoService(version, server);
    server.createContext("/", service::handle);
    server.setExecutor(Executors.newFixedThreadPool(4, DaemonThreads.named("demo-" + version)));
    server.start();
    return service;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      int status = broken ? 500 : 200;
      String text = broken ? version + " is broken (injected by --break-at)\n" : "hello from " + version + "\n";
      byte[] body = text.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("X-Version", version);
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  public String version() {
    return version;
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** From now on every request fails with 500. */
  public void breakIt() {
    broken = true;
  }

  public boolean broken() {
    return broken;
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
