package dev.rollout.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.common.Priority;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.internal.testservice.TestServicesStarter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The embedded server hands out waiting tasks of one priority in the order they arrived (the test
 * server alone gives back the first, then the newest), and a higher priority still goes first.
 */
class TestServerTaskOrderTest {

  @Test
  void waitingWorkflowTasksAreHandedOutInArrivalOrderHigherPriorityFirst() {
    TestServicesStarter services = new TestServicesStarter(true, 0);
    assertThat(TestServerTaskOrder.firstInFirstOut(services))
        .as("the test server's fields are where this SDK version keeps them (see TestServerTaskOrder)").isTrue();
    InProcessTemporal server = new InProcessTemporal(services.getServices());
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setChannel(server.channel()).build());
    try {
      WorkflowClient client = WorkflowClient.newInstance(stubs);
      String queue = "task-order-" + UUID.randomUUID();
      List<String> started = new ArrayList<>();
      // No worker polls yet: each start leaves one workflow task waiting in the backlog.
      for (int i = 0; i < 30; i++) {
        String id = queue + "-" + i;
        client.newUntypedWorkflowStub("Waiting", WorkflowOptions.newBuilder()
            .setWorkflowId(id).setTaskQueue(queue).build()).start();
        started.add(id);
      }
      String urgent = queue + "-urgent";
      client.newUntypedWorkflowStub("Waiting", WorkflowOptions.newBuilder().setWorkflowId(urgent)
          .setTaskQueue(queue).setPriority(Priority.newBuilder().setPriorityKey(1).build()).build()).start();

      List<String> handedOut = new ArrayList<>();
      for (int i = 0; i <= started.size(); i++) {
        handedOut.add(stubs.blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS)
            .pollWorkflowTaskQueue(PollWorkflowTaskQueueRequest.newBuilder()
                .setNamespace("default").setIdentity("task-order-test")
                .setTaskQueue(TaskQueue.newBuilder().setName(queue)).build())
            .getWorkflowExecution().getWorkflowId());
      }

      List<String> expected = new ArrayList<>(List.of(urgent));
      expected.addAll(started);
      assertThat(handedOut).containsExactlyElementsOf(expected);
    } finally {
      stubs.shutdownNow();
      server.close();
      services.close();
    }
  }
}
