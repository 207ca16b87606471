package dev.rollout.worker;

import dev.rollout.testserver.TestServerLockLog;
import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.Closeable;
import dev.rollout.workflow.RolloutSearchAttributes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts Temporal's Java test server on a local port when no Temporal address is configured, so a
 * bare machine with only a JDK can run rollouts. It runs before the application context is
 * refreshed, so the Temporal client the Spring Boot starter builds connects to it: in-process
 * ({@link InProcessTemporal}), while other processes reach it on its TCP port.
 *
 * <p>Time skipping stays locked: a long-running server must keep real time, or a workflow waiting
 * for an approval would jump to its timeout. Registered in {@code META-INF/spring.factories}.
 */
public class EmbeddedTemporalServer
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  static final String TARGET = "spring.temporal.connection.target";
  static final String ENABLED = "rollout.temporal.embedded.enabled";
  static final String PORT = "rollout.temporal.embedded.port";
  /** The interface it listens on: loopback unless configured (anyone reaching it bypasses the API's checks). */
  static final String ADDRESS = "rollout.temporal.embedded.address";

  private static final Logger log = LoggerFactory.getLogger(EmbeddedTemporalServer.class);

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    ConfigurableEnvironment env = context.getEnvironment();
    boolean addressGiven = !env.getProperty(TARGET, "").isBlank();
    if (context.getParent() != null || addressGiven || !env.getProperty(ENABLED, Boolean.class, true)) {
      return;
    }
    int port = env.getProperty(PORT, Integer.class, 7233);
    String host = env.getProperty(ADDRESS, "127.0.0.1");
    if (port == 0) {
      port = freePort();
    }
    long began = System.nanoTime();
    Running server = start(host, port);
    String target = (host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host) + ":" + port;
    registerSearchAttributes(target, env.getProperty("spring.temporal.namespace", "default"));
    // The starter needs a target to build its stubs at all; the customizer then swaps in the
    // in-process channel for this process (see InProcessTemporal). Others use the target.
    env.getPropertySources()
        .addFirst(new MapPropertySource("embeddedTemporal", Map.of(TARGET, target)));
    context.getBeanFactory().registerSingleton("embeddedTemporalTarget", new Target(target));
    context.getBeanFactory().registerSingleton("embeddedTemporalInProcess", server.inProcess());
    // Registered before every other bean, so destroyed after all of them: the worker stops
    // polling and the client disconnects before the server goes away.
    DisposableBean stop =
        () -> {
          log.info("Stopping the embedded Temporal test server on {}", target);
          server.close();
        };
    if (context.getBeanFactory() instanceof DefaultSingletonBeanRegistry registry) {
      registry.registerDisposableBean("embeddedTemporalServer", stop);
    } else {
      context.addApplicationListener((ContextClosedEvent e) -> close(stop));
    }
    log.warn(
        "No TEMPORAL_ADDRESS given: started Temporal's EMBEDDED TEST SERVER listening on {}:{} in {} ms (real"
            + " time, no time skipping). Its state is IN MEMORY ONLY: every rollout is lost when this"
            + " process exits. For durable rollouts run docker-compose (docker compose up) or point"
            + " TEMPORAL_ADDRESS at a real Temporal cluster.",
        host,
        port,
        (System.nanoTime() - began) / 1_000_000);
  }

  /**
   * What {@code TestServer.createPortBoundServer} does, but bound to one interface (its public API
   * takes only a port and listens on every interface), and with a second, in-process door to the
   * same services for this process's own client. lockTimeSkipping = true: real time.
   */
  private static Running start(String host, int port) {
    TestServicesStarter services = new TestServicesStarter(true, 0);
    TestServerLockLog.forget(services); // before it serves anything: see why there
    try {
      List<BindableService> served = withVisibility(services);
      var builder = NettyServerBuilder.forAddress(
          new InetSocketAddress(InetAddress.getByName(host), port), InsecureServerCredentials.create());
      GRPCServerHelper.registerServicesAndHealthChecks(served, builder);
      Server grpc = builder.build().start();
      try {
        return new Running(services, grpc, new InProcessTemporal(served));
      } catch (RuntimeException e) {
        grpc.shutdownNow();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      services.close();
      throw new IllegalStateException(
          "cannot start the embedded Temporal server on port " + port + " (" + rootMessage(e)
              + "): free the port, set ROLLOUT_EMBEDDED_TEMPORAL_PORT (0 picks a free one), or set"
              + " TEMPORAL_ADDRESS to use a running Temporal server",
          e);
    }
  }

  /** The test server's services and their two doors: TCP for other processes, in-process for this one. */
  private record Running(TestServicesStarter services, Server tcp, InProcessTemporal inProcess)
      implements Closeable {
    @Override
    public void close() {
      tcp.shutdown();
      inProcess.close();
      services.close();
      try {
        tcp.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The test server's services, its workflow service answering visibility queries ({@link EmbeddedVisibility}). */
  static List<BindableService> withVisibility(TestServicesStarter services) {
    return services.getServices().stream()
        .map(s -> s == services.getWorkflowService() ? new EmbeddedVisibility(services.getWorkflowService()) : s)
        .toList();
  }

  /**
   * The workflow upserts {@link RolloutSearchAttributes}; unregistered, every rollout would stall.
   * Registered before the worker starts polling.
   */
  static void registerSearchAttributes(String target, String namespace) {
    RolloutSearchAttributes.registerOn(target, namespace);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage();
  }

  private static void close(DisposableBean stop) {
    try {
      stop.destroy();
    } catch (Exception e) {
      log.warn("The embedded Temporal test server did not stop cleanly: {}", e.getMessage());
    }
  }

  /** The address of the embedded server, as a bean, so tests and the CLI can find it. */
  public record Target(String address) {}

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free local port for the embedded Temporal server", e);
    }
  }
}
