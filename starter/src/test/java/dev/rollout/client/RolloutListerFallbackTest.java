package dev.rollout.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.worker.VisibilityQuery;
import dev.rollout.workflow.RolloutSearchAttributes;
import dev.rollout.workflow.RolloutState;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against a bare Temporal test server (not the embedded one, which answers visibility queries), the
 * listing falls back to the legacy listings, describes each execution and lets the same
 * {@link VisibilityQuery} decide on its search attributes.
 */
class RolloutListerFallbackTest {
  TestWorkflowEnvironment env;
  WorkflowClient client;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    RolloutSearchAttributes.registerOn(env);
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void filtersTheDescribedLegacyListingsWithTheSameQuery() {
    start("rollout-a.test", "a/test", RolloutState.WAITING_FOR_APPROVAL, List.of("sre"));
    start("rollout-b.test", "b/test", RolloutState.BAKING, List.of());
    start("rollout-c.test", "c/test", RolloutState.WAITING_FOR_APPROVAL, List.of("release-manager"));
    RolloutLister lister = new RolloutLister(client, new RolloutCalls(client));

    assertThat(ids(lister, new RolloutFilter(null, RolloutState.WAITING_FOR_APPROVAL, null)))
        .containsExactly("rollout-a.test", "rollout-c.test");
    assertThat(ids(lister, new RolloutFilter("b/test", null, null))).containsExactly("rollout-b.test");
    assertThat(ids(lister, new RolloutFilter(null, null, "release-manager"))).containsExactly("rollout-c.test");
    assertThat(ids(lister, RolloutFilter.ALL)).hasSize(3);
  }

  private List<String> ids(RolloutLister lister, RolloutFilter filter) {
    return lister.executions(filter.query()).stream().map(i -> i.getExecution().getWorkflowId()).sorted().toList();
  }

  /** A RolloutWorkflow execution with its search attributes set at start; no worker runs it. */
  private void start(String id, String target, RolloutState state, List<String> waitingFor) {
    SearchAttributes.Builder attributes = SearchAttributes.newBuilder()
        .set(RolloutSearchAttributes.TARGET, List.of(target))
        .set(RolloutSearchAttributes.STATE, state.name());
    if (!waitingFor.isEmpty()) attributes.set(RolloutSearchAttributes.WAITING_FOR, waitingFor);
    client.newUntypedWorkflowStub(RolloutLister.WORKFLOW_TYPE, WorkflowOptions.newBuilder()
        .setWorkflowId(id).setTaskQueue("nobody-polls").setTypedSearchAttributes(attributes.build()).build()).start();
  }
}
