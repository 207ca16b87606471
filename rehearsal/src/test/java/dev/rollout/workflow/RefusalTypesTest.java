package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.plan.Plan;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.Scenario;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A refused update says why by its failure's type, which the API turns into 403 (you may not),
 * 409 (not now) or 422 (malformed request).
 */
class RefusalTypesTest {
  static final String FORBIDDEN = SecurityException.class.getName();
  static final String NOT_NOW = IllegalStateException.class.getName();
  static final String INVALID = IllegalArgumentException.class.getName();

  static void assertRefusedAs(Runnable update, String type, String why) {
    assertThatThrownBy(update::run).isInstanceOf(WorkflowUpdateException.class)
        .satisfies(e -> {
          assertThat(e.getCause()).isInstanceOf(ApplicationFailure.class);
          ApplicationFailure failure = (ApplicationFailure) e.getCause();
          assertThat(failure.getType()).as(failure.getOriginalMessage()).isEqualTo(type);
          assertThat(failure.getOriginalMessage()).contains(why);
        });
  }

  @Test
  void refusalsAreForbiddenNotNowOrInvalid() {
    Plan plan = TestPlans.plan("shop", List.of(),
        phase("Canary").entry(TestPlans.approval(2, "devops", "engineering-lead", "safety-coordinator"))
            .steps(TestPlans.traffic(10)).bake(Duration.ofHours(1)).skipBakeRoles("devops").build());
    try (Rehearsal rehearsal = Rehearsal.open(Scenario.HAPPY)) {
      RolloutWorkflow wf = rehearsal.start(plan, "alice");
      Poll.state(wf, RolloutState.WAITING_FOR_APPROVAL);

      assertRefusedAs(() -> wf.approve(new Actions.Approve("bob", "product-manager", null)), FORBIDDEN, "cannot answer");
      assertRefusedAs(() -> wf.approve(new Actions.Approve("bob", null, null)), INVALID, "role is required");
      assertRefusedAs(() -> wf.approve(new Actions.Approve(" ", "devops", null)), INVALID, "user is required");
      assertRefusedAs(() -> wf.approve(new Actions.Approve("bob", "ceo", null)), INVALID, "unknown role 'ceo'");
      assertRefusedAs(() -> wf.confirm(new Actions.Confirm("bob", "devops", "anything", null)), NOT_NOW, "not waiting");
      assertRefusedAs(() -> wf.skipBake(new Actions.SkipBake("bob", "devops", null)), NOT_NOW, "no bake is running");
      assertRefusedAs(() -> wf.decide(new Actions.Decide("bob", Actions.Choice.CONTINUE, null)), NOT_NOW, "not on hold");
      assertRefusedAs(() -> wf.decide(new Actions.Decide("bob", null, null)), INVALID, "choice is required");
      assertRefusedAs(() -> wf.resume(new Actions.Operator("bob", null)), NOT_NOW, "not paused");
      assertRefusedAs(() -> wf.abort(new Actions.Abort("bob", " ", "devops")), INVALID, "reason is required");

      wf.approve(new Actions.Approve("alice", "devops", null));
      assertRefusedAs(() -> wf.approve(new Actions.Approve("bob", "devops", null)), NOT_NOW, "already approved");
      assertRefusedAs(() -> wf.approve(new Actions.Approve("alice", "engineering-lead", null)), FORBIDDEN, "one person fills one role");
      wf.approve(new Actions.Approve("carol", "engineering-lead", null));

      Poll.state(wf, RolloutState.BAKING);
      assertRefusedAs(() -> wf.skipBake(new Actions.SkipBake("bob", "product-manager", null)), FORBIDDEN, "cannot skip the bake");
      wf.pause(new Actions.Operator("bob", null));
      assertRefusedAs(() -> wf.pause(new Actions.Operator("bob", null)), NOT_NOW, "already paused");
      wf.abort(new Actions.Abort("bob", "test over", "devops"));
      assertThat(WorkflowStub.fromTyped(wf).getResult(RolloutResult.class).outcome()).isEqualTo(Outcome.ROLLED_BACK);
    }
  }

  @Test
  void theStarterAloneIsForbidden() {
    Plan plan = TestPlans.plan("shop", List.of(),
        phase("Canary").entry(TestPlans.approval(1, "devops")).steps(TestPlans.traffic(10)).build());
    try (Rehearsal rehearsal = Rehearsal.open(Scenario.HAPPY)) {
      RolloutWorkflow wf = rehearsal.start(plan, "alice");
      Poll.state(wf, RolloutState.WAITING_FOR_APPROVAL);
      assertRefusedAs(() -> wf.approve(new Actions.Approve("alice", "devops", null)), FORBIDDEN, "cannot be its only approver");
      wf.abort(new Actions.Abort("bob", "test over", "devops"));
      assertThat(WorkflowStub.fromTyped(wf).getResult(RolloutResult.class).outcome()).isEqualTo(Outcome.ROLLED_BACK);
    }
  }
}
