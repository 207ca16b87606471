package dev.rollout.worker;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.temporal.internal.testservice.InProcessGRPCServer;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.spring.boot.TemporalOptionsCustomizer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The embedded server's door for this process's own Temporal client: grpc's in-process transport.
 *
 * <p>Why: the worker and the embedded server share one JVM, yet over TCP every call went through
 * netty's HTTP/2 framing and every message was serialised to bytes and parsed back on the other
 * side — about a third of the CPU of rolling back 1,000 rollouts at once (JFR: 20-24 % grpc/netty,
 * 10-13 % protobuf). In-process, no socket is involved and a message is handed over as the object
 * itself (grpc's protobuf marshaller passes it through when both ends parse the same type).
 * Temporal's own {@code TestWorkflowEnvironment} talks to the test server this way.
 *
 * <p>As a Spring customizer of the Temporal starter's service stubs it replaces their target with
 * this channel, so the worker, and the API when it shares the process, use it; the TCP port stays
 * open for other processes (an API-only process, the Temporal CLI). Requests over 4 MiB are
 * refused as they are over TCP (Temporal's {@code MessageSizeChecker}, grpc's default limit), so
 * what runs here does not fail only elsewhere.
 */
final class InProcessTemporal
    implements TemporalOptionsCustomizer<WorkflowServiceStubsOptions.Builder>, AutoCloseable {
  private final InProcessGRPCServer server;

  /** Serves {@code services} (the same instances the TCP server serves) in-process. */
  InProcessTemporal(List<BindableService> services) {
    this.server = new InProcessGRPCServer(services);
  }

  /** The channel to the server, owned by this object: closed by {@link #close()}, not by the stubs. */
  ManagedChannel channel() {
    return server.getChannel();
  }

  @Override
  public WorkflowServiceStubsOptions.Builder customize(WorkflowServiceStubsOptions.Builder options) {
    // The stubs take either a target or a channel; the starter has set the TCP target.
    return options.setTarget(null).setChannel(channel());
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }
}
