package dev.rollout.chaos;

import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Temporal's Java test server in a process of its own, in real time (no time skipping). */
final class TemporalServerProcess implements AutoCloseable {

  final int port = JavaProcess.freePort();
  private final Process process;
  private final WorkflowServiceStubs service;
  final WorkflowClient client;

  TemporalServerProcess(Path log) {
    process = JavaProcess.start("io.temporal.testserver.TestServer", List.of(Integer.toString(port)), Map.of(), log, "-Xmx512m");
    JavaProcess.awaitListening("the Temporal test server", port, Duration.ofSeconds(60), process);
    // The workflow upserts search attributes; unregistered, every rollout would stall.
    dev.rollout.workflow.RolloutSearchAttributes.registerOn(address(), "default");
    service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget(address())
                // A query to a rollout whose worker was just killed gives up instead of hanging; long
                // enough for a busy worker to answer (a query given up is still answered, for nobody).
                .setRpcQueryTimeout(Duration.ofSeconds(15))
                // A busy 2-core machine can keep the server from answering a start within 10 s.
                .setRpcTimeout(Duration.ofSeconds(30))
                .build());
    client = WorkflowClient.newInstance(service);
  }

  String address() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() {
    service.shutdownNow();
    process.destroyForcibly();
  }
}
