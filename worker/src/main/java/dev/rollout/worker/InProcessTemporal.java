package dev.rollout.worker;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.InProcessGRPCServer;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.spring.boot.TemporalOptionsCustomizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
 *
 * <p>The calls that only record something and answer at once ({@link #INLINE}: a workflow task's
 * or an activity's completion, a heartbeat, a signal) run on the caller's own thread instead of
 * being handed to grpc's server pool and the answer handed back: two thread switches fewer per
 * call, on the calls a mass rollback makes most. Long polls and every call that waits (polls,
 * history waits, queries, Updates) keep the pool, so a caller never blocks inside another's wait.
 */
final class InProcessTemporal
    implements TemporalOptionsCustomizer<WorkflowServiceStubsOptions.Builder>, AutoCloseable {
  /** Calls served on the caller's thread: they never wait for anything but the server's locks. */
  static final Set<String> INLINE = Stream.of(
          WorkflowServiceGrpc.getRespondWorkflowTaskCompletedMethod(),
          WorkflowServiceGrpc.getRespondWorkflowTaskFailedMethod(),
          WorkflowServiceGrpc.getRespondActivityTaskCompletedMethod(),
          WorkflowServiceGrpc.getRespondActivityTaskFailedMethod(),
          WorkflowServiceGrpc.getRespondActivityTaskCanceledMethod(),
          WorkflowServiceGrpc.getRecordActivityTaskHeartbeatMethod(),
          WorkflowServiceGrpc.getSignalWorkflowExecutionMethod())
      .map(MethodDescriptor::getFullMethodName)
      .collect(Collectors.toUnmodifiableSet());

  private final Server server;
  private final ManagedChannel channel;

  /** Serves {@code services} (the same instances the TCP server serves) in-process. */
  InProcessTemporal(List<BindableService> services) {
    String name = InProcessServerBuilder.generateName();
    InProcessServerBuilder builder = InProcessServerBuilder.forName(name).callExecutor(new ServerCallExecutorSupplier() {
      @Override
      public <ReqT, RespT> Executor getExecutor(ServerCall<ReqT, RespT> call, Metadata headers) {
        // null: grpc's server pool, as for every call before.
        return INLINE.contains(call.getMethodDescriptor().getFullMethodName()) ? Runnable::run : null;
      }
    });
    // As Temporal's own InProcessGRPCServer does: the services, health checks, the 4 MiB limit.
    GRPCServerHelper.registerServicesAndHealthChecks(services, builder, List.of(new InProcessGRPCServer.MessageSizeChecker()));
    try {
      this.server = builder.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  /** The channel to the server, owned by this object: closed by {@link #close()}, not by the stubs. */
  ManagedChannel channel() {
    return channel;
  }

  @Override
  public WorkflowServiceStubsOptions.Builder customize(WorkflowServiceStubsOptions.Builder options) {
    // The stubs take either a target or a channel; the starter has set the TCP target.
    return options.setTarget(null).setChannel(channel());
  }

  @Override
  public void close() {
    channel.shutdown();
    server.shutdown();
    try {
      if (channel.awaitTermination(5, TimeUnit.SECONDS)) server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
