package dev.rollout.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.plan.Plans;
import dev.rollout.server.RolloutServerTest;
import dev.rollout.server.TestPlans;
import dev.rollout.workflow.Actions;
import dev.rollout.workflow.RolloutState;
import dev.rollout.workflow.RolloutStatus;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The client layer against the embedded test server and the real workflow. */
@RolloutServerTest
class RolloutServiceTest {
  @Autowired RolloutService rollouts;
  @Autowired WorkflowClient client;

  @Test
  void theEmbeddedServerAnswersVisibilityQueriesAndListingWorks() {
    // Temporal's test server alone answers UNIMPLEMENTED; the embedded one answers (EmbeddedVisibility)
    client.getWorkflowServiceStubs().blockingStub().listWorkflowExecutions(
        ListWorkflowExecutionsRequest.newBuilder()
            .setNamespace(client.getOptions().getNamespace())
            .setQuery("WorkflowType = 'RolloutWorkflow'")
            .build());

    RolloutStatus started = rollouts.start(plan("profile"), "plans/profile.yaml", "alice");
    assertThat(started.startedBy()).isEqualTo("alice");
    String id = started.rolloutId();
    await(id, RolloutState.WAITING_FOR_APPROVAL);

    assertThat(rollouts.list("profile", null))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.rolloutId()).isEqualTo(id);
              assertThat(s.target()).isEqualTo("profile/test");
              assertThat(s.startedBy()).isEqualTo("alice");
              assertThat(s.execution()).isEqualTo("RUNNING");
              assertThat(s.state()).isEqualTo(RolloutState.WAITING_FOR_APPROVAL);
            });
    assertThat(rollouts.list(null, RolloutState.COMPLETED)).noneMatch(s -> s.rolloutId().equals(id));
    rollouts.abort(rollouts.facts(id), new Actor("alice", List.of("*")), new Actions.Abort("alice", "test over", "sre"));
    await(id, RolloutState.ROLLED_BACK);
    assertThat(rollouts.list("profile/test", RolloutState.ROLLED_BACK))
        .extracting(RolloutSummary::rolloutId)
        .containsExactly(id);
  }

  @Test
  void aBusyTargetIsRefusedAndAFinishedOnesIdIsReused() throws Exception {
    String id = rollouts.start(plan("avatar"), "a.yaml", "alice").rolloutId();
    assertThatThrownBy(() -> rollouts.start(plan("avatar"), "a.yaml", "carol"))
        .isInstanceOfSatisfying(
            RolloutBusyException.class,
            e -> {
              assertThat(e.runningRollout()).isEqualTo(id);
              assertThat(e.getMessage()).contains(id);
            });
    rollouts.abort(rollouts.facts(id), new Actor("alice", List.of("*")), new Actions.Abort("alice", "make room", "sre"));
    await(id, RolloutState.ROLLED_BACK);
    // The status says ROLLED_BACK a moment before the run closes (it still releases its target
    // locks): until then the target is rightly busy.
    client.newUntypedWorkflowStub(id, java.util.Optional.empty(), java.util.Optional.empty())
        .getResult(60, java.util.concurrent.TimeUnit.SECONDS, dev.rollout.workflow.RolloutResult.class);

    RolloutStatus again = rollouts.start(plan("avatar"), "a.yaml", "carol");
    assertThat(again.startedBy()).isEqualTo("carol");
    assertThat(rollouts.list("avatar", null)).hasSize(2);
    rollouts.abort(rollouts.facts(id), new Actor("carol", List.of("*")), new Actions.Abort("carol", "test over", "sre"));
    await(id, RolloutState.ROLLED_BACK);
  }

  @Test
  void unknownIdsAreNotFoundAndEndedRolloutsRefuseActions() {
    assertThatThrownBy(() -> rollouts.status("rollout-none.test"))
        .isInstanceOf(RolloutNotFoundException.class)
        .hasMessageContaining("rollout-none.test");
    assertThatThrownBy(() -> rollouts.pause(rollouts.facts("rollout-none.test"), new Actor("bob", List.of("*")), new Actions.Operator("bob", null)))
        .isInstanceOf(RolloutNotFoundException.class);

    String id = rollouts.start(plan("mailer"), "m.yaml", "alice").rolloutId();
    rollouts.abort(rollouts.facts(id), new Actor("alice", List.of("*")), new Actions.Abort("alice", "stop", "sre"));
    await(id, RolloutState.ROLLED_BACK);
    assertThatThrownBy(() -> rollouts.approve(rollouts.facts(id), new Actor("bob", List.of("*")), new Actions.Approve("bob", "sre", null)))
        .isInstanceOfSatisfying(
            RolloutRefusedException.class,
            e -> assertThat(e.kind()).isEqualTo(RolloutRefusedException.Kind.CONFLICT));
  }

  @Test
  void validatorExceptionsMapToKinds() {
    assertThat(RolloutCalls.kindOf("java.lang.SecurityException"))
        .isEqualTo(RolloutRefusedException.Kind.FORBIDDEN);
    assertThat(RolloutCalls.kindOf("java.lang.IllegalStateException"))
        .isEqualTo(RolloutRefusedException.Kind.CONFLICT);
    assertThat(RolloutCalls.kindOf("java.lang.IllegalArgumentException"))
        .isEqualTo(RolloutRefusedException.Kind.INVALID);
  }

  private static dev.rollout.plan.Plan plan(String service) {
    return Plans.parse(TestPlans.approvalPlan(service, "1s"), service + ".yaml");
  }

  private RolloutStatus await(String id, RolloutState state) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    RolloutStatus last = null;
    while (System.nanoTime() < deadline) {
      last = rollouts.status(id);
      if (last.state() == state) {
        return last;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError(id + " never reached " + state + "; last: " + last);
  }
}
