package dev.rollout.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.Priority;
import io.temporal.internal.testservice.TestServicesStarter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded server hands out waiting tasks of one priority oldest workflow execution first,
 * in arrival order among tasks of one execution or of none (the test server alone gives back the
 * first task, then the newest); a higher priority still goes first. Tasks are taken with raw polls,
 * no worker, so the order seen is the server's.
 */
class TestServerTaskOrderTest {
  TestServicesStarter services;
  InProcessTemporal server;
  WorkflowServiceStubs stubs;
  WorkflowClient client;
  String queue = "task-order-" + UUID.randomUUID();

  @BeforeEach
  void start() {
    services = new TestServicesStarter(true, 0);
    assertThat(TestServerTaskOrder.oldestExecutionFirst(services))
        .as("the test server's fields are where this SDK version keeps them (see TestServerTaskOrder)").isTrue();
    server = new InProcessTemporal(services.getServices());
    stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setChannel(server.channel()).build());
    client = WorkflowClient.newInstance(stubs);
  }

  @AfterEach
  void stop() {
    stubs.shutdownNow();
    server.close();
    services.close();
  }

  @Test
  void waitingTasksOfNewExecutionsAreHandedOutInArrivalOrderHigherPriorityFirst() {
    List<String> started = new ArrayList<>();
    // No worker polls: each start leaves its first workflow task waiting.
    for (int i = 0; i < 30; i++) started.add(start(queue + "-" + i, null).getExecution().getWorkflowId());
    String urgent = queue + "-urgent";
    start(urgent, Priority.newBuilder().setPriorityKey(1).build());

    List<String> handedOut = new ArrayList<>();
    for (int i = 0; i <= started.size(); i++) handedOut.add(poll().getWorkflowExecution().getWorkflowId());

    List<String> expected = new ArrayList<>(List.of(urgent));
    expected.addAll(started);
    assertThat(handedOut).containsExactlyElementsOf(expected);
  }

  @Test
  void theOldestExecutionGoesFirstWhateverOrderItsNextTaskArrivedIn() {
    List<WorkflowStub> runs = new ArrayList<>();
    for (int i = 0; i < 5; i++) runs.add(start(queue + "-" + i, null));
    // Each first task taken and completed with no command: the executions stay open, idle.
    for (int i = 0; i < runs.size(); i++) {
      PollWorkflowTaskQueueResponse task = poll();
      stubs.blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS).respondWorkflowTaskCompleted(
          RespondWorkflowTaskCompletedRequest.newBuilder().setNamespace("default")
              .setIdentity("task-order-test").setTaskToken(task.getTaskToken()).build());
    }
    // New tasks arrive newest execution first (a signal schedules a workflow task)...
    for (int i = runs.size() - 1; i >= 0; i--) runs.get(i).signal("nudge");

    // ...and are handed out oldest execution first: a rollout in progress finishes before later
    // ones take its turn (plain arrival order would serve one task of each in turn).
    List<String> handedOut = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) handedOut.add(poll().getWorkflowExecution().getWorkflowId());
    assertThat(handedOut).containsExactlyElementsOf(
        runs.stream().map(r -> r.getExecution().getWorkflowId()).toList());
  }

  private WorkflowStub start(String id, Priority priority) {
    WorkflowOptions.Builder options = WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(queue);
    if (priority != null) options.setPriority(priority);
    WorkflowStub stub = client.newUntypedWorkflowStub("Waiting", options.build());
    stub.start();
    return stub;
  }

  private PollWorkflowTaskQueueResponse poll() {
    return stubs.blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS)
        .pollWorkflowTaskQueue(PollWorkflowTaskQueueRequest.newBuilder()
            .setNamespace("default").setIdentity("task-order-test")
            .setTaskQueue(TaskQueue.newBuilder().setName(queue)).build());
  }
}
