package dev.rollout.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.SignalWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.spring.boot.autoconfigure.ServiceStubsAutoConfiguration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * The process that starts the embedded server reaches it in-process (the Temporal starter's stubs
 * get the in-process channel), while other processes reach the same server on its TCP port: both
 * see the same executions, both answer visibility queries ({@link EmbeddedVisibility}), both refuse
 * a request over 4 MiB. The channel closes with the application.
 */
class InProcessTemporalTest {

  /** Only the Temporal starter's service stubs, as the worker and the all-in-one server build them. */
  @Configuration
  @ImportAutoConfiguration(ServiceStubsAutoConfiguration.class)
  static class StubsOnly {}

  static ConfigurableApplicationContext app;
  static WorkflowServiceStubs own;
  static WorkflowServiceStubs overTcp;

  @BeforeAll
  static void start() {
    app = new SpringApplicationBuilder(StubsOnly.class).web(WebApplicationType.NONE)
        .run("--rollout.temporal.embedded.port=0");
    own = app.getBean(WorkflowServiceStubs.class);
    overTcp = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
        .setTarget(app.getBean(EmbeddedTemporalServer.Target.class).address()).build());
  }

  @AfterAll
  static void stop() {
    overTcp.shutdownNow();
    if (app.isActive()) app.close();
  }

  @Test
  void theProcessesOwnStubsUseTheInProcessChannelNotThePort() {
    assertThat(own.getOptions().getTarget()).isNull();
    assertThat(own.getRawChannel()).isSameAs(app.getBean(InProcessTemporal.class).channel());
  }

  @Test
  void aWorkflowStartedThroughThePortIsSeenInProcessAndListedByItsType() {
    String type = "InProcessProbe" + UUID.randomUUID().toString().replace("-", "");
    WorkflowStub started = client(overTcp).newUntypedWorkflowStub(type, WorkflowOptions.newBuilder()
        .setWorkflowId("in-process-" + UUID.randomUUID()).setTaskQueue("no-worker-listens").build());
    WorkflowExecution execution = started.start();

    assertThat(client(own).newUntypedWorkflowStub(execution.getWorkflowId()).describe().getWorkflowType())
        .isEqualTo(type);
    // CountWorkflowExecutions is UNIMPLEMENTED by the bare test server: answered only when the
    // in-process door serves the same wrapped services as the port.
    long counted = own.blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS)
        .countWorkflowExecutions(CountWorkflowExecutionsRequest.newBuilder()
            .setNamespace("default").setQuery("WorkflowType = '" + type + "'").build())
        .getCount();
    assertThat(counted).isEqualTo(1);
  }

  @Test
  void aRequestOverFourMebibytesIsRefusedInProcessAsOverThePort() {
    for (WorkflowServiceStubs stubs : new WorkflowServiceStubs[] {overTcp, own}) {
      String door = stubs == own ? "in-process" : "over TCP";
      // 3 MiB reaches the server, which answers that no such workflow runs.
      assertThat(signalCode(stubs, 3 << 20)).as(door).isEqualTo(Status.Code.NOT_FOUND);
      // 5 MiB is refused before the server sees it (netty's limit reports UNKNOWN over TCP).
      assertThat(signalCode(stubs, 5 << 20)).as(door).isNotEqualTo(Status.Code.NOT_FOUND);
    }
    assertThat(signalCode(own, 5 << 20)).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
  }

  /** The status of a signal carrying {@code bytes} of input to a workflow that does not exist. */
  private static Status.Code signalCode(WorkflowServiceStubs stubs, int bytes) {
    SignalWorkflowExecutionRequest signal = SignalWorkflowExecutionRequest.newBuilder()
        .setNamespace("default")
        .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId("in-process-" + UUID.randomUUID()))
        .setSignalName("big")
        .setInput(Payloads.newBuilder().addPayloads(Payload.newBuilder().setData(ByteString.copyFrom(new byte[bytes]))))
        .build();
    try {
      stubs.blockingStub().withDeadlineAfter(20, TimeUnit.SECONDS).signalWorkflowExecution(signal);
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  @Test
  void theChannelClosesWithTheApplication() {
    try (ConfigurableApplicationContext other = new SpringApplicationBuilder(StubsOnly.class)
        .web(WebApplicationType.NONE).run("--rollout.temporal.embedded.port=0")) {
      InProcessTemporal inProcess = other.getBean(InProcessTemporal.class);
      assertThat(inProcess.channel().isShutdown()).isFalse();
      other.close();
      assertThat(inProcess.channel().isShutdown()).isTrue();
    }
  }

  private static WorkflowClient client(WorkflowServiceStubs stubs) {
    return WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());
  }
}
