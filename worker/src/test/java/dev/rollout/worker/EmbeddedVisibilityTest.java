package dev.rollout.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.workflow.RolloutSearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributes;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded server answers visibility queries on search attributes to any Temporal client (here
 * the SDK's own {@code listExecutions}), which Temporal's test server alone answers UNIMPLEMENTED.
 * Executions start with their attributes set and no worker: they stay open as listed.
 */
class EmbeddedVisibilityTest {

  @Configuration
  static class Nothing {}

  static ConfigurableApplicationContext server;
  static WorkflowServiceStubs stubs;
  static WorkflowClient client;

  @BeforeAll
  static void start() {
    server = new SpringApplicationBuilder(Nothing.class).web(WebApplicationType.NONE)
        .run("--rollout.temporal.embedded.port=0");
    stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
        .setTarget(server.getBean(EmbeddedTemporalServer.Target.class).address()).build());
    client = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());
    start("vis-orders", "orders/production", "WAITING_FOR_APPROVAL", List.of("Release Manager", "sre"));
    start("vis-orders-staging", "orders/staging", "BAKING", null);
    start("vis-billing", "billing/production", "WAITING_FOR_APPROVAL", List.of("finance"));
    WorkflowStub ended = start("vis-ended", "billing/staging", "ROLLED_BACK", null);
    ended.terminate("test: a closed execution");
  }

  @AfterAll
  static void stop() {
    stubs.shutdownNow();
    server.close();
  }

  private static WorkflowStub start(String id, String target, String state, List<String> waitingFor) {
    SearchAttributes.Builder attributes = SearchAttributes.newBuilder()
        .set(RolloutSearchAttributes.TARGET, List.of(target))
        .set(RolloutSearchAttributes.STATE, state);
    if (waitingFor != null) attributes.set(RolloutSearchAttributes.WAITING_FOR, waitingFor);
    WorkflowStub stub = client.newUntypedWorkflowStub("VisibilityProbe", WorkflowOptions.newBuilder()
        .setWorkflowId(id).setTaskQueue("no-worker-listens").setTypedSearchAttributes(attributes.build()).build());
    stub.start();
    return stub;
  }

  private static List<String> ids(VisibilityQuery query) {
    return client.listExecutions(query.text()).map(WorkflowExecutionMetadata::getExecution)
        .map(e -> e.getWorkflowId()).sorted().toList();
  }

  @Test
  void listsBySearchAttributeJoinedByAnd() {
    VisibilityQuery probes = VisibilityQuery.where(VisibilityQuery.WORKFLOW_TYPE, "VisibilityProbe");
    assertThat(ids(probes)).containsExactly("vis-billing", "vis-ended", "vis-orders", "vis-orders-staging");
    assertThat(ids(probes.and("RolloutTarget", "orders/production"))).containsExactly("vis-orders");
    assertThat(ids(probes.and("RolloutState", "WAITING_FOR_APPROVAL"))).containsExactly("vis-billing", "vis-orders");
    assertThat(ids(probes.and("RolloutWaitingFor", "Release Manager"))).containsExactly("vis-orders");
    assertThat(ids(probes.and("RolloutWaitingFor", "finance").and("RolloutState", "WAITING_FOR_APPROVAL")))
        .containsExactly("vis-billing");
    assertThat(ids(probes.and("RolloutWaitingFor", "finance").and("RolloutTarget", "orders/production"))).isEmpty();
    assertThat(ids(probes.and(VisibilityQuery.EXECUTION_STATUS, "Terminated"))).containsExactly("vis-ended");
    assertThat(ids(probes.and(VisibilityQuery.EXECUTION_STATUS, "Running")))
        .containsExactly("vis-billing", "vis-orders", "vis-orders-staging");
    assertThat(ids(probes.and(VisibilityQuery.WORKFLOW_ID, "vis-orders"))).containsExactly("vis-orders");
  }

  @Test
  void listedExecutionsCarryTheirSearchAttributesAndCountsAgree() {
    WorkflowExecutionMetadata found = client.listExecutions(
        VisibilityQuery.where("RolloutTarget", "orders/staging").text()).findFirst().orElseThrow();
    assertThat(found.getTypedSearchAttributes().get(RolloutSearchAttributes.STATE)).isEqualTo("BAKING");
    long count = stubs.blockingStub().countWorkflowExecutions(CountWorkflowExecutionsRequest.newBuilder()
        .setNamespace("default").setQuery("RolloutState = 'WAITING_FOR_APPROVAL'").build()).getCount();
    assertThat(count).isEqualTo(2);
  }

  @Test
  void aQueryBeyondEqualitiesIsRefusedSayingWhatIsAnswered() {
    assertThatThrownBy(() -> client.listExecutions("RolloutState != 'BAKING'").toList())
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("equality conditions joined by AND", "docker compose");
        });
  }

  @Test
  void queryTextRoundTripsAndKeepsValuesWithSpacesAndTheWordAnd() {
    VisibilityQuery query = VisibilityQuery.where("RolloutWaitingFor", "Ops and Security")
        .and("RolloutTarget", "orders/production");
    assertThat(VisibilityQuery.parse(query.text())).isEqualTo(query);
    assertThat(VisibilityQuery.parse("`RolloutState`=\"BAKING\" and WorkflowType = 'RolloutWorkflow'"))
        .isEqualTo(VisibilityQuery.where("RolloutState", "BAKING").and("WorkflowType", "RolloutWorkflow"));
    assertThat(VisibilityQuery.parse("").conditions()).isEmpty();
    assertThatThrownBy(() -> VisibilityQuery.where("RolloutTarget", "x' OR '1'='1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VisibilityQuery.parse("RolloutState = 'A' OR RolloutState = 'B'"))
        .hasMessageContaining("cannot read: RolloutState = 'A' OR");
  }
}
